import LampApp
import LampSession

/// Reads the scenario file format:
///
/// ```
/// # comments run to the end of the line
/// scenario refresh
/// summary refresh(lamp) before the final read
/// session S1 test [expire_on_commit=true|false] [isolation=read-committed|repeatable-read|serializable|server-default]
/// session S2 app [uses S1] [expire_on_commit=...] [isolation=...]
/// S1 create [on|off]
/// S1 refresh
/// S2 switch-on [commit|flush]
/// S1 select [populate-existing]
/// S1 expect on
/// ```
public struct ScenarioParser {
    /// Files larger than this are rejected before parsing.
    public static let maximumSize = 256 * 1024

    public let file: String

    public init(file: String) { self.file = file }

    /// Parses UTF-8 bytes (rejects binary content and oversized files with a located error).
    public func parse(bytes: [UInt8]) throws -> ScenarioDefinition {
        guard bytes.count <= Self.maximumSize else {
            throw error(1, 1, "file is too large (\(bytes.count) bytes; at most \(Self.maximumSize))")
        }
        if let index = bytes.firstIndex(of: 0) {
            throw error(lineOf(index, in: bytes), 1, "file is binary (contains a NUL byte), expected scenario text")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw error(1, 1, "file is not valid UTF-8 text")
        }
        return try parse(text)
    }

    /// Parses scenario text.
    public func parse(_ text: String) throws -> ScenarioDefinition {
        var name: String?
        var summary = ""
        var sessions: [SessionDeclaration] = []
        var steps: [Step] = []
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (offset, rawLine) in lines.enumerated() {
            let number = offset + 1
            let tokens = tokenize(rawLine)
            guard let head = tokens.first else { continue }
            switch head.text {
            case "scenario":
                guard name == nil else { throw error(number, head.column, "a file has one 'scenario' line") }
                guard tokens.count == 2 else {
                    throw error(number, tokens.count > 2 ? tokens[2].column : head.end, "expected 'scenario NAME'")
                }
                try checkName(tokens[1], line: number, what: "scenario name")
                name = tokens[1].text
            case "summary":
                summary = tokens.dropFirst().map(\.text).joined(separator: " ")
            case "session":
                guard name != nil else { throw error(number, head.column, "expected 'scenario NAME' before sessions") }
                guard steps.isEmpty else { throw error(number, head.column, "sessions are declared before the first step") }
                let declaration = try parseSession(tokens, line: number, declared: sessions)
                sessions.append(declaration)
            default:
                guard name != nil else {
                    throw error(number, head.column, "expected 'scenario NAME', found '\(head.text)'")
                }
                guard let declaration = sessions.first(where: { $0.name == head.text }) else {
                    let known = sessions.map(\.name).joined(separator: ", ")
                    throw error(number, head.column,
                                "expected a declared session (\(known.isEmpty ? "none declared yet" : known)) or a keyword, found '\(head.text)'")
                }
                steps.append(try parseStep(tokens, line: number, session: declaration))
            }
        }
        guard let name else { throw error(max(lines.count, 1), 1, "expected 'scenario NAME', found end of file") }
        guard sessions.filter({ $0.role == .test }).count == 1 else {
            throw error(max(lines.count, 1), 1, "expected exactly one test session ('session NAME test')")
        }
        guard let createIndex = steps.firstIndex(where: { $0.action.keyword == "create" }) else {
            throw error(max(lines.count, 1), 1, "expected a 'create' step: the scenario needs a lamp")
        }
        if let early = steps[..<createIndex].first {
            throw error(early.line, 1, "'\(early.action.keyword)' before the lamp exists; expected 'create' first")
        }
        if let second = steps[(createIndex + 1)...].first(where: { $0.action.keyword == "create" }) {
            throw error(second.line, 1, "a scenario creates one lamp; found a second 'create'")
        }
        return ScenarioDefinition(name: name, summary: summary, sessions: sessions, steps: steps, origin: file)
    }

    // MARK: - Lines

    private func parseSession(_ tokens: [Token], line: Int, declared: [SessionDeclaration]) throws -> SessionDeclaration {
        guard tokens.count >= 3 else {
            throw error(line, tokens.last!.end, "expected 'session NAME test' or 'session NAME app'")
        }
        let nameToken = tokens[1]
        try checkName(nameToken, line: line, what: "session name")
        if Self.keywords.contains(nameToken.text) || ["scenario", "summary", "session"].contains(nameToken.text) {
            throw error(line, nameToken.column, "'\(nameToken.text)' is a keyword; expected a session name such as S1")
        }
        if declared.contains(where: { $0.name == nameToken.text }) {
            throw error(line, nameToken.column, "session '\(nameToken.text)' is already declared")
        }
        var role: SessionDeclaration.Role
        switch tokens[2].text {
        case "test": role = .test
        case "app": role = .application
        default: throw error(line, tokens[2].column, "expected 'test' or 'app', found '\(tokens[2].text)'")
        }
        var declaration = SessionDeclaration(name: nameToken.text, role: role)
        var index = 3
        while index < tokens.count {
            let token = tokens[index]
            if token.text == "uses" {
                guard role != .test else { throw error(line, token.column, "only an app session can use another session") }
                guard index + 1 < tokens.count else { throw error(line, token.end, "expected a session name after 'uses'") }
                let target = tokens[index + 1]
                guard let used = declared.first(where: { $0.name == target.text }), used.role == .test else {
                    throw error(line, target.column, "expected the name of the test session declared above, found '\(target.text)'")
                }
                role = .applicationUsing(used.name)
                declaration.role = role
                index += 2
                continue
            }
            let parts = token.text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw error(line, token.column, "expected 'uses NAME', 'expire_on_commit=true|false' or 'isolation=LEVEL', found '\(token.text)'")
            }
            let valueColumn = token.column + parts[0].count + 1
            switch parts[0] {
            case "expire_on_commit":
                guard let value = Bool(parts[1]) else {
                    throw error(line, valueColumn, "expected true or false, found '\(parts[1])'")
                }
                declaration.expireOnCommit = value
            case "isolation":
                guard let level = IsolationLevel(argument: parts[1]) else {
                    throw error(line, valueColumn, "expected read-committed, repeatable-read, serializable or server-default, found '\(parts[1])'")
                }
                declaration.isolation = level
            default:
                throw error(line, token.column, "expected expire_on_commit= or isolation=, found '\(parts[0])'")
            }
            index += 1
        }
        if case .applicationUsing = declaration.role, declaration.expireOnCommit != nil || declaration.isolation != nil {
            throw error(line, tokens[3].column, "an app session that uses another session takes that session's settings")
        }
        return declaration
    }

    static let keywords: Set<String> = [
        "create", "select", "refresh", "expire", "expire-all", "close", "commit", "rollback",
        "flush", "sql-read", "switch-on", "expect",
    ]

    private func parseStep(_ tokens: [Token], line: Int, session: SessionDeclaration) throws -> Step {
        guard tokens.count >= 2 else {
            throw error(line, tokens[0].end, "expected an operation after '\(tokens[0].text)' (\(Self.keywordList))")
        }
        let keyword = tokens[1]
        let arguments = Array(tokens.dropFirst(2))
        func noArguments(_ action: StepAction) throws -> StepAction {
            if let extra = arguments.first {
                throw error(line, extra.column, "'\(keyword.text)' takes no argument, found '\(extra.text)'")
            }
            return action
        }
        func oneOptional(_ allowed: [String]) throws -> String? {
            if arguments.count > 1 { throw error(line, arguments[1].column, "unexpected '\(arguments[1].text)'") }
            guard let argument = arguments.first else { return nil }
            guard allowed.contains(argument.text) else {
                throw error(line, argument.column, "expected \(allowed.joined(separator: " or ")), found '\(argument.text)'")
            }
            return argument.text
        }
        let action: StepAction
        switch keyword.text {
        case "create": action = .create(status: try oneOptional(["on", "off"]))
        case "select": action = .select(populateExisting: try oneOptional(["populate-existing"]) != nil)
        case "refresh": action = try noArguments(.refresh)
        case "expire": action = try noArguments(.expire)
        case "expire-all": action = try noArguments(.expireAll)
        case "close": action = try noArguments(.close)
        case "commit": action = try noArguments(.commit)
        case "rollback": action = try noArguments(.rollback)
        case "flush": action = try noArguments(.flush)
        case "sql-read": action = try noArguments(.sqlRead)
        case "switch-on": action = .switchOn(try oneOptional(["commit", "flush"]).flatMap(AppMode.init(rawValue:)))
        case "expect":
            guard let status = try oneOptional(["on", "off"]) else {
                throw error(line, keyword.end, "expected 'expect on' or 'expect off'")
            }
            action = .expect(status)
        default:
            throw error(line, keyword.column, "expected an operation (\(Self.keywordList)), found '\(keyword.text)'")
        }
        let isSwitchOn = action.keyword == "switch-on"
        if session.isApplication && !isSwitchOn {
            throw error(line, keyword.column, "\(session.name) is an application session: its step is 'switch-on', found '\(keyword.text)'")
        }
        if !session.isApplication && isSwitchOn {
            throw error(line, keyword.column, "'switch-on' is the application's step; declare 'session NAME app' and use it")
        }
        return Step(session: session.name, action: action, line: line)
    }

    static let keywordList = "create, select, refresh, expire, expire-all, close, commit, rollback, flush, sql-read, switch-on, expect"

    // MARK: - Tokens

    struct Token {
        var text: String
        var column: Int
        var end: Int { column + text.count }
    }

    /// Splits a line on white space, dropping a `#` comment; columns are 1-based characters.
    func tokenize(_ line: Substring) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var start = 0
        for (offset, character) in line.enumerated() {
            if character == "#" { break }
            if character.isWhitespace {
                if !current.isEmpty { tokens.append(Token(text: current, column: start + 1)) }
                current = ""
            } else {
                if current.isEmpty { start = offset }
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(Token(text: current, column: start + 1)) }
        return tokens
    }

    private func checkName(_ token: Token, line: Int, what: String) throws {
        let allowed = token.text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        guard allowed, token.text.count <= 63 else {
            throw error(line, token.column, "expected a \(what) of letters, digits, '-' or '_', found '\(token.text)'")
        }
    }

    private func lineOf(_ index: Int, in bytes: [UInt8]) -> Int {
        bytes[..<index].reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
    }

    private func error(_ line: Int, _ column: Int, _ message: String) -> ScenarioParseError {
        ScenarioParseError(file: file, line: line, column: column, message: message)
    }
}

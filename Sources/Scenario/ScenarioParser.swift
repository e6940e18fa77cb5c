import LampSession

/// Reads the scenario file format; its keywords come from the tables ``LineKeyword``,
/// ``SessionRoleKeyword``, ``SessionSetting`` and ``StepKeyword`` (``ScenarioGrammar/reference``
/// prints them). Keywords and names are ASCII; a UTF-8 byte-order mark at the start is skipped.
public struct ScenarioParser {
    /// Files larger than this are rejected before parsing.
    public static let maximumSize = 256 * 1024

    public let file: String
    /// The ORM the run asked for (`--orm`); nil: the file's `orm=`, else SQLAlchemy. A file whose
    /// `orm=` names another is refused.
    public let orm: ORM?

    public init(file: String, orm: ORM? = nil) {
        self.file = file
        self.orm = orm
    }

    /// Parses UTF-8 bytes (rejects binary content and oversized files with a located error).
    public func parse(bytes: [UInt8]) throws -> ScenarioDefinition {
        guard bytes.count <= Self.maximumSize else {
            throw error(1, 1, "file is too large (\(bytes.count) bytes; at most \(Self.maximumSize))")
        }
        if let index = bytes.firstIndex(of: 0) {
            throw error(lineOf(index, in: bytes), 1, "file is binary (contains a NUL byte), expected scenario text")
        }
        guard let text = String(validating: bytes.starts(with: Self.byteOrderMark) ? Array(bytes.dropFirst(3)) : bytes, as: UTF8.self) else {
            let (line, column) = Self.firstInvalidUTF8(bytes)
            throw error(line, column, "file is not valid UTF-8 text")
        }
        return try parse(text)
    }

    /// The UTF-8 byte-order mark some editors write at the start of a file.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Parses scenario text (a leading byte-order mark is skipped).
    public func parse(_ text: String) throws -> ScenarioDefinition {
        let text = text.unicodeScalars.first == "\u{FEFF}" ? Substring(text.unicodeScalars.dropFirst()) : Substring(text)
        var name: String?
        var orm = self.orm ?? .sqlalchemy
        var summary = ""
        var sessions: [SessionDeclaration] = []
        var steps: [Step] = []
        var created: Set<String> = []
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (offset, rawLine) in lines.enumerated() {
            let number = offset + 1
            let tokens = tokenize(rawLine)
            guard let head = tokens.first else { continue }
            let line = LineKeyword(rawValue: head.text)
            for token in line == .summary ? [head] : tokens { try checkASCII(token, line: number) }
            switch line {
            case .scenario:
                guard name == nil else { throw error(number, head.column, "a file has one 'scenario' line") }
                guard tokens.count == 2 || tokens.count == 3 else {
                    throw error(number, tokens.count > 3 ? tokens[3].column : head.end, "expected 'scenario NAME [orm=ORM]'")
                }
                try checkName(tokens[1], line: number, what: "scenario name")
                name = tokens[1].text
                if tokens.count == 3 { orm = try parseORM(tokens[2], line: number) }
            case .summary:
                summary = tokens.dropFirst().map(\.text).joined(separator: " ")
            case .session:
                guard name != nil else { throw error(number, head.column, "expected 'scenario NAME' before sessions") }
                guard steps.isEmpty else { throw error(number, head.column, "sessions are declared before the first step") }
                let declaration = try parseSession(tokens, line: number, declared: sessions, orm: orm)
                sessions.append(declaration)
            case nil:
                guard name != nil else {
                    throw error(number, head.column, "expected 'scenario NAME', found '\(head.text)'")
                }
                guard let declaration = sessions.first(where: { $0.name == head.text }) else {
                    let known = sessions.map(\.name).joined(separator: ", ")
                    throw error(number, head.column,
                                "expected a declared session (\(known.isEmpty ? "none declared yet" : known)) or a keyword, found '\(head.text)'")
                }
                let (step, lampColumn) = try parseStep(tokens, line: number, session: declaration, orm: orm)
                try checkLamp(step, column: lampColumn, created: &created)
                steps.append(step)
            }
        }
        guard let name else { throw error(max(lines.count, 1), 1, "expected 'scenario NAME', found end of file") }
        guard sessions.filter({ $0.role == .test }).count == 1 else {
            throw error(max(lines.count, 1), 1, "expected exactly one test session ('session NAME test')")
        }
        guard let createIndex = steps.firstIndex(where: { $0.action.keyword == .create }) else {
            throw error(max(lines.count, 1), 1, "expected a 'create' step: the scenario needs a lamp")
        }
        if let early = steps[..<createIndex].first {
            throw error(early.line, 1, "'\(early.action.keyword)' before the lamp exists; expected 'create' first")
        }
        var definition = ScenarioDefinition(name: name, summary: summary, sessions: sessions, steps: steps, origin: file)
        definition.orm = orm
        return definition
    }

    /// `orm=NAME` on the scenario line: one of the ORMs, and the one the run asked for, if it did.
    private func parseORM(_ token: Token, line: Int) throws -> ORM {
        let names = ORM.allCases.map(\.rawValue)
        let parts = token.text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts[0] == "orm" else {
            throw error(line, token.column, "expected 'orm=\(names.joined(separator: "|"))' after the scenario name, found '\(token.text)'")
        }
        guard let orm = ORM(rawValue: parts[1]) else {
            throw error(line, token.column + 4, "expected \(names.spokenList), found '\(parts[1])'" + Suggestion.clause(for: parts[1], among: names))
        }
        if let asked = self.orm, asked != orm {
            throw error(line, token.column, "this is a \(orm.displayName) scenario (orm=\(orm.rawValue)); the run asked for --orm \(asked.rawValue)")
        }
        return orm
    }

    /// A keyword, setting or value of another ORM: refused with the ORMs that have it.
    private func otherORM(_ what: String, _ orms: [ORM], orm: ORM, line: Int, column: Int) -> ScenarioParseError {
        error(line, column, "\(what) is \(orms.map(\.displayName).spokenList)'s, not \(orm.displayName)'s (this file is orm=\(orm.rawValue))")
    }

    /// Each lamp is created once, by name (the unnamed lamp by a `create` without one), before a
    /// step names it. Steps before the first `create` are left to the checks at the end of the file.
    private func checkLamp(_ step: Step, column: Int, created: inout Set<String>) throws {
        let keyword = step.action.keyword
        guard keyword.takesLamp else { return }
        let name = step.lamp ?? ""
        if keyword == .create {
            guard created.insert(name).inserted else {
                throw error(step.line, step.lamp == nil ? 1 : column, step.lamp.map { "a scenario creates each lamp once; lamp '\($0)' is already created" }
                    ?? "a scenario creates each lamp once; found a second 'create' of the unnamed lamp (name the others: 'create b')")
            }
        } else if !created.isEmpty, !created.contains(name) {
            let arguments = keyword.arguments.values.isEmpty ? "" : " (or an argument: \(keyword.arguments.values.spokenList))"
            throw error(step.line, step.lamp == nil ? 1 : column, step.lamp.map { "lamp '\($0)' is not created yet; expected 'create \($0)' before this step\(arguments)" }
                ?? "'\(keyword)' acts on the unnamed lamp, which no 'create' without a name made; name one of the lamps created above")
        }
    }

    // MARK: - Lines

    private func parseSession(_ tokens: [Token], line: Int, declared: [SessionDeclaration], orm: ORM) throws -> SessionDeclaration {
        let roles = SessionRoleKeyword.allCases.map { "'session NAME \($0.spelling)'" }.spokenList
        guard tokens.count >= 3 else {
            throw error(line, tokens[tokens.count - 1].end, "expected \(roles)")
        }
        let nameToken = tokens[1]
        try checkName(nameToken, line: line, what: "session name")
        if StepKeyword(rawValue: nameToken.text) != nil || LineKeyword(rawValue: nameToken.text) != nil {
            throw error(line, nameToken.column, "'\(nameToken.text)' is a keyword; expected a session name such as S1")
        }
        if declared.contains(where: { $0.name == nameToken.text }) {
            throw error(line, nameToken.column, "session '\(nameToken.text)' is already declared")
        }
        guard let roleKeyword = SessionRoleKeyword(rawValue: tokens[2].text) else {
            let expected = SessionRoleKeyword.allCases.map { "'\($0.spelling)'" }.spokenList
            let suggestion = Suggestion.clause(for: tokens[2].text, among: SessionRoleKeyword.allCases.map(\.spelling))
            throw error(line, tokens[2].column, "expected \(expected), found '\(tokens[2].text)'\(suggestion)")
        }
        var declaration = SessionDeclaration(name: nameToken.text, role: roleKeyword == .test ? .test : roleKeyword == .worker ? .worker : .application)
        var index = 3
        var given: [SessionSetting: Int] = [:]  // the column where each setting was given
        while index < tokens.count {
            let token = tokens[index]
            let parts = token.text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let setting = SessionSetting(rawValue: parts[0]), (setting.values == nil) == (parts.count == 1) else {
                let suggestion = Suggestion.clause(for: parts[0], among: SessionSetting.allCases.map(\.spelling))
                let message = parts.count == 1
                    ? "expected \(SessionSetting.allCases.map { "'\($0.syntax)'" }.spokenList), found '\(token.text)'\(suggestion)"
                    : "expected \(SessionSetting.allCases.filter { $0.values != nil }.map { "\($0.spelling)=" }.spokenList), found '\(parts[0])'\(suggestion)"
                throw error(line, token.column, message)
            }
            guard setting.orms.contains(orm) else {
                throw otherORM("'\(setting.spelling)'", setting.orms, orm: orm, line: line, column: token.column)
            }
            guard setting.roles.contains(roleKeyword) else {
                throw error(line, token.column, "'\(setting.spelling)' is a setting of \(setting.roles.map(\.spelling).spokenList) sessions only")
            }
            if let first = given[setting] {
                throw error(line, token.column, "'\(setting.spelling)' was already given at column \(first): give each setting once")
            }
            given[setting] = token.column
            let value = parts.count == 2 ? parts[1] : nil
            let valueColumn = token.column + parts[0].count + 1
            switch setting {
            case .uses:
                guard index + 1 < tokens.count else { throw error(line, token.end, "expected a session name after 'uses'") }
                let target = tokens[index + 1]
                guard let used = declared.first(where: { $0.name == target.text }), used.role == .test else {
                    throw error(line, target.column, "expected the name of the test session declared above, found '\(target.text)'")
                }
                declaration.role = .applicationUsing(used.name)
                index += 1
            case .expireOnCommit:
                guard let flag = value.flatMap(Bool.init) else { throw badValue(setting, value, line: line, column: valueColumn) }
                declaration.expireOnCommit = flag
            case .isolation:
                guard let level = value.flatMap(IsolationLevel.init(argument:)) else {
                    throw badValue(setting, value, line: line, column: valueColumn)
                }
                declaration.isolation = level
            case .driver:
                guard let driver = value.flatMap(SessionDriver.init(rawValue:)) else {
                    throw badValue(setting, value, line: line, column: valueColumn)
                }
                declaration.driver = driver
            case .autoflush:
                guard let flag = value.flatMap(Bool.init) else { throw badValue(setting, value, line: line, column: valueColumn) }
                declaration.autoflush = flag
            case .reads:
                declaration.cluster = try listedValue(setting, value, line: line, column: valueColumn)
            case .sticky:
                guard let milliseconds = value.flatMap(StickyWindow.milliseconds(_:)) else {
                    throw error(line, valueColumn, "expected a duration such as 2s or 500ms, found '\(value ?? "")'")
                }
                declaration.stickyMilliseconds = milliseconds
            case .synchronousCommit:
                declaration.synchronousCommit = SynchronousCommitMode(rawValue: try listedValue(setting, value, line: line, column: valueColumn))
            case .fixture:
                guard let recipe = value.flatMap(FixtureRecipe.init(rawValue:)) else {
                    throw badValue(setting, value, line: line, column: valueColumn, orm: orm)
                }
                guard recipe.orm == orm else {
                    throw otherORM("the test wrapper '\(recipe.rawValue)'", [recipe.orm], orm: orm, line: line, column: valueColumn)
                }
                declaration.fixture = recipe
            }
            index += 1
        }
        if declaration.stickyMilliseconds != nil, declaration.cluster != ClusterSet.standby {
            throw error(line, tokens[2].column, "'sticky=' routes a session that reads the standby: add reads=standby")
        }
        if let recipe = declaration.fixture, recipe != .independent, declaration.cluster == ClusterSet.standby {
            throw error(line, tokens[2].column,
                        "'reads=standby' needs fixture=independent: under \(recipe.rawValue) the test's and the app's sessions share one connection to the primary")
        }
        if case .applicationUsing = declaration.role, declaration.expireOnCommit != nil || declaration.isolation != nil
            || declaration.synchronousCommit != nil {
            throw error(line, tokens[3].column, "an app session that uses another session takes that session's settings")
        }
        return declaration
    }

    /// The value when it is one of the setting's listed values.
    private func listedValue(_ setting: SessionSetting, _ value: String?, line: Int, column: Int) throws -> String {
        guard let value, setting.values?.contains(value) == true else { throw badValue(setting, value, line: line, column: column) }
        return value
    }

    private func badValue(_ setting: SessionSetting, _ value: String?, line: Int, column: Int, orm: ORM = .sqlalchemy) -> ScenarioParseError {
        let values = setting.values(in: orm) ?? []
        return error(line, column, "expected \(values.spokenList), found '\(value ?? "")'" + Suggestion.clause(for: value ?? "", among: values))
    }

    /// The step, and the column of its lamp name (0 without one).
    private func parseStep(_ tokens: [Token], line: Int, session: SessionDeclaration, orm: ORM) throws -> (Step, Int) {
        let accepted = StepKeyword.accepted(by: orm)
        let keywordList = accepted.map(\.spelling).joined(separator: ", ")
        guard tokens.count >= 2 else {
            throw error(line, tokens[0].end, "expected an operation after '\(tokens[0].text)' (\(keywordList))")
        }
        let keywordToken = tokens[1]
        guard let keyword = StepKeyword(rawValue: keywordToken.text) else {
            throw error(line, keywordToken.column, "expected an operation (\(keywordList)), found '\(keywordToken.text)'"
                + Suggestion.clause(for: keywordToken.text, among: accepted.map(\.spelling)))
        }
        guard keyword.orms.contains(orm) else {
            throw otherORM("'\(keyword)'", keyword.orms, orm: orm, line: line, column: keywordToken.column)
        }
        let stepArguments = keyword.arguments(in: orm)
        var arguments = Array(tokens.dropFirst(2))
        var lamp: String?
        var lampColumn = 0
        if keyword.takesLamp, let first = arguments.first, LampName.isValid(first.text) {
            lamp = first.text
            lampColumn = first.column
            arguments.removeFirst()
        }
        switch stepArguments {
        case .none:
            if let extra = arguments.first {
                throw error(line, extra.column, "'\(keyword)' takes no argument, found '\(extra.text)'")
            }
        case .required where arguments.isEmpty:
            let expected = keyword.arguments.values.map { "'\(keyword) \($0)'" }.spokenList
            throw error(line, keywordToken.end, "expected \(expected)")
        case .optional, .required:
            // A value may be several words (`read status awaitable`); otherwise one word only.
            let joined = arguments.map(\.text).joined(separator: " ")
            if arguments.count > 1, !keyword.arguments.values.contains(joined) {
                throw error(line, arguments[1].column, "unexpected '\(arguments[1].text)'")
            }
        }
        let argument = arguments.first
        let argumentText = arguments.isEmpty ? nil : arguments.map(\.text).joined(separator: " ")
        guard let action = keyword.action(argument: argumentText) else {
            let column = argument?.column ?? keywordToken.end
            throw error(line, column, "expected \(keyword.arguments.values.spokenList), found '\(argument?.text ?? "")'")
        }
        let role = session.roleKeyword
        guard keyword.performers.contains(role) else {
            if role == .worker {
                let steps = accepted.filter { $0.performers.contains(.worker) }.map { "'\($0)'" }.spokenList
                throw error(line, keywordToken.column, "\(session.name) is a worker session: its step is \(steps), found '\(keyword)'")
            }
            if role == .app {
                let steps = accepted.filter { $0.performer == .app }.map { "'\($0)'" }.spokenList
                throw error(line, keywordToken.column, "\(session.name) is an application session: its step is \(steps), found '\(keyword)'")
            }
            throw error(line, keywordToken.column, "'\(keyword)' is the application's step; declare 'session NAME app' and use it")
        }
        return (Step(session: session.name, action: action, lamp: lamp, line: line), lampColumn)
    }

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

    /// Keywords and names are ASCII: a look-alike such as U+0435 CYRILLIC SMALL LETTER IE in
    /// `sеlect` is refused, naming the character and its column.
    private func checkASCII(_ token: Token, line: Int) throws {
        guard let offset = token.text.firstIndex(where: { !$0.isASCII }) else { return }
        let character = token.text[offset]
        let scalar = character.unicodeScalars.first { !$0.isASCII } ?? character.unicodeScalars[character.unicodeScalars.startIndex]
        let column = token.column + token.text.distance(from: token.text.startIndex, to: offset)
        throw error(line, column, "'\(token.text)' contains \(scalar.codePointAndName), which is not ASCII; keywords and names are ASCII")
    }

    /// Where the first byte that is not UTF-8 is: its line, and its column (in characters as
    /// decoded up to it, 1-based).
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (line: Int, column: Int) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var line = 1, column = 1
        while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar):
                if scalar == "\n" {
                    (line, column) = (line + 1, 1)
                } else if !(line == 1 && column == 1 && scalar == "\u{FEFF}") {  // a byte-order mark takes no column
                    column += 1
                }
            case .emptyInput, .error:
                return (line, column)
            }
        }
    }

    private func lineOf(_ index: Int, in bytes: [UInt8]) -> Int {
        bytes[..<index].reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
    }

    private func error(_ line: Int, _ column: Int, _ message: String) -> ScenarioParseError {
        ScenarioParseError(file: file, line: line, column: column, message: message)
    }
}

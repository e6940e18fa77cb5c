import CLibpq

/// A libpq connection string (URL or `key=value` form), validated by libpq itself.
///
/// Its `description` is the redacted form: a password never appears in it.
public struct ConnectionString: Sendable, CustomStringConvertible, Equatable {
    /// The string exactly as given, password included. Only for handing to libpq.
    public let raw: String
    /// The options libpq parsed out of `raw` (keyword to value), password included.
    public let options: [String: String]

    /// Parses `raw` with `PQconninfoParse`; throws `.invalidConnectionString` when libpq rejects it.
    public init(_ raw: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(raw, &errorMessage) else {
            let message = errorMessage.map { String(cString: $0) } ?? "out of memory"
            if let errorMessage { PQfreemem(errorMessage) }
            throw PostgresError(
                kind: .invalidConnectionString,
                message: "invalid connection string: " + Self.scrub(message.trimmedLines, raw: raw))
        }
        defer { PQconninfoFree(parsed) }
        var options: [String: String] = [:]
        var option = parsed
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                options[String(cString: keyword)] = String(cString: value)
            }
            option += 1
        }
        // libpq accepts any port text here and fails only when connecting; say so up front.
        if let port = options["port"],
           !port.split(separator: ",", omittingEmptySubsequences: false).allSatisfy({ $0.allSatisfy(\.isASCIIDigitCharacter) }) {
            throw PostgresError(kind: .invalidConnectionString,
                                message: "invalid connection string: port \"\(Self.scrub(port, raw: raw))\" is not a number")
        }
        self.raw = raw
        self.options = options
    }

    /// The host shown to people: the `host` option, `hostaddr`, or libpq's default (a local socket).
    public var host: String {
        options["host"] ?? options["hostaddr"] ?? "local socket"
    }

    /// The database name shown to people (`dbname`, else the user name, as libpq defaults it).
    public var database: String {
        options["dbname"] ?? options["user"] ?? "(default)"
    }

    /// A URL with the password replaced by `***`.
    public var redacted: String {
        var url = "postgresql://"
        if let user = options["user"] {
            url += user
            if options["password"] != nil { url += ":***" }
            url += "@"
        }
        let host = options["host"] ?? ""
        let socket = host.hasPrefix("/")
        if !socket {
            url += host
            if let port = options["port"] { url += ":" + port }
        }
        url += "/" + (options["dbname"] ?? "")
        var query: [String] = []
        if socket {
            query.append("host=" + host)
            if let port = options["port"] { query.append("port=" + port) }
        }
        for key in options.keys.sorted() where !["user", "password", "host", "port", "dbname"].contains(key) {
            query.append("\(key)=\(options[key]!)")
        }
        if !query.isEmpty { url += "?" + query.joined(separator: "&") }
        return url
    }

    public var description: String { redacted }

    /// Removes any password-looking fragment of `raw` from a libpq message about it.
    static func scrub(_ message: String, raw: String) -> String {
        var result = message
        for secret in passwordCandidates(in: raw) where !secret.isEmpty {
            result = result.replacingAll(secret, with: "***")
        }
        return result
    }

    /// Anything after `password=` or between `:` and `@` in a URL authority.
    static func passwordCandidates(in raw: String) -> [String] {
        var found: [String] = []
        if let range = raw.firstRange(of: "password=") {
            let rest = raw[range.upperBound...]
            found.append(String(rest.prefix { $0 != " " && $0 != "&" }))
        }
        if let scheme = raw.firstRange(of: "://") {
            let authority = raw[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" }
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                found.append(String(authority[authority.index(after: colon)..<at]))
            }
        }
        return found
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

extension String {
    /// The text with trailing newlines removed and inner lines joined by "; ".
    var trimmedLines: String {
        split(whereSeparator: \.isNewline).map { String($0).trimmedWhitespace }.filter { !$0.isEmpty }
            .joined(separator: "; ")
    }

    /// The text without leading and trailing white space.
    public var trimmedWhitespace: String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

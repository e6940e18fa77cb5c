import CLibpq

/// A libpq connection string (URL or `key=value` form), validated by libpq itself.
///
/// Its `description` is the redacted form: a password never appears in it.
public struct ConnectionString: Sendable, CustomStringConvertible, Equatable {
    /// The string exactly as given, password included. Only for handing to libpq.
    public let raw: String
    /// The options libpq parsed out of `raw` (keyword to value), password included.
    public let options: [String: String]

    /// The SQLAlchemy driver dropped from a `postgresql+DRIVER://` URL (e.g. `psycopg2`), if any.
    public let droppedDriver: String?

    /// Parses `raw` with `PQconninfoParse`; throws `.invalidConnectionString` when libpq rejects it.
    /// A SQLAlchemy URL (`postgresql+psycopg2://`, `postgres+asyncpg://`, ...) loses its driver part.
    public init(_ given: String) throws {
        let (raw, droppedDriver) = Self.droppingSQLAlchemyDriver(given)
        if let scheme = Self.foreignScheme(raw) {
            throw PostgresError(
                kind: .invalidConnectionString,
                message: "invalid connection string: \(scheme):// is not a PostgreSQL URL; lampctl takes postgresql:// "
                    + "(or postgres://, with a SQLAlchemy driver such as +psycopg2 or not) or a key=value string")
        }
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
        if let (keyword, value, values) = ConnectionOptionValues.invalid(in: options) {
            throw PostgresError(kind: .invalidConnectionString,
                                message: "invalid connection string: invalid \(keyword) value \"\(Self.scrub(value, raw: raw))\"; expected "
                                    + values.dropLast().joined(separator: ", ") + " or " + (values.last ?? ""))
        }
        self.raw = raw
        self.options = options
        self.droppedDriver = droppedDriver
    }

    /// The scheme of a URL for another database (`mysql+pymysql`, `sqlite`, `redis`, ...), which
    /// libpq would only call a key=value string with a missing "="; nil for anything else.
    static func foreignScheme(_ raw: String) -> String? {
        guard let end = raw.firstRange(of: "://") else { return nil }
        let scheme = raw[..<end.lowerBound]
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }) else { return nil }
        return ["postgresql", "postgres"].contains(scheme.lowercased()) ? nil : String(scheme)
    }

    /// `text` with every byte but letters, digits and `-._~/` percent-encoded, as libpq decodes
    /// it in a URL: a socket directory with spaces, `&`, `%`, `?` or `#` stays one value.
    static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, ("0"..."9").contains(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || "-._~/".unicodeScalars.contains(scalar) {
                encoded.unicodeScalars.append(scalar)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return encoded
    }

    /// `postgresql+DRIVER://...` or `postgres+DRIVER://...` without `+DRIVER`, and the driver.
    static func droppingSQLAlchemyDriver(_ raw: String) -> (String, String?) {
        for scheme in ["postgresql+", "postgres+"] where raw.hasPrefix(scheme) {
            let rest = raw.dropFirst(scheme.count)
            guard let end = rest.firstRange(of: "://") else { continue }
            let driver = rest[..<end.lowerBound]
            guard !driver.isEmpty, driver.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else { continue }
            return (String(scheme.dropLast()) + String(rest[end.lowerBound...]), String(driver))
        }
        return (raw, nil)
    }

    /// The values of the options libpq marks as secret (`password`, `sslpassword`, ...).
    public var secrets: [String] {
        options.filter { ConnectionOptionCatalog.secretKeywords.contains($0.key) }.map(\.value)
    }

    /// The host shown to people: the `host` option, `hostaddr`, what libpq's environment
    /// (`PGHOST`, `PGHOSTADDR`) gives, or libpq's default (a local socket).
    public var host: String {
        options["host"] ?? options["hostaddr"] ?? Self.resolvedDefault("host") ?? Self.resolvedDefault("hostaddr")
            ?? "local socket"
    }

    /// The database name shown to people: `dbname`, else `PGDATABASE`, else the user name, as
    /// libpq defaults it.
    public var database: String {
        options["dbname"] ?? Self.resolvedDefault("dbname") ?? options["user"] ?? Self.resolvedDefault("user")
            ?? "(default)"
    }

    /// What libpq resolves for `keyword` from this process's environment (and service file).
    static func resolvedDefault(_ keyword: String) -> String? {
        ConnectionOptionCatalog.options.first { $0.keyword == keyword }?.defaultValue.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A URL with the password replaced by `***`.
    public var redacted: String {
        var url = "postgresql://"
        if let user = options["user"] {
            url += Self.percentEncoded(user)
            if options["password"] != nil { url += ":***" }
            url += "@"
        }
        let host = options["host"] ?? ""
        let socket = host.hasPrefix("/")
        if !socket {
            url += Self.percentEncoded(host)
            if let port = options["port"] { url += ":" + port }
        }
        url += "/" + Self.percentEncoded(options["dbname"] ?? "")
        var query: [String] = []
        if socket {
            query.append("host=" + Self.percentEncoded(host))
            if let port = options["port"] { query.append("port=" + port) }
        }
        for (key, value) in options.sorted(by: { $0.key < $1.key })
        where !["user", "password", "host", "port", "dbname"].contains(key) {
            let secret = ConnectionOptionCatalog.secretKeywords.contains(key)
            query.append("\(key)=\(secret ? "***" : Self.percentEncoded(value))")
        }
        if !query.isEmpty { url += "?" + query.joined(separator: "&") }
        return url
    }

    public var description: String { redacted }

    /// `message` (from libpq, about this connection string) with every secret replaced by `***`:
    /// the parsed secret values, and for a string libpq could not parse, what follows a secret
    /// keyword or sits between `:` and `@` in a URL. Only whole occurrences are replaced (not
    /// inside a longer word), so a password `e` leaves `connection` alone.
    public func scrub(_ message: String) -> String {
        Self.scrub(message, secrets: secrets + Self.secretCandidates(in: raw))
    }

    static func scrub(_ message: String, raw: String) -> String {
        scrub(message, secrets: secretCandidates(in: raw))
    }

    static func scrub(_ message: String, secrets: [String]) -> String {
        var result = message
        // Longest first, so a secret that contains another is replaced whole.
        for secret in Set(secrets).sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
            result = result.replacingWholeOccurrences(of: secret, with: "***")
        }
        return result
    }

    /// What follows `<secret keyword>=` (a token, or a quoted value), and the password of a URL.
    static func secretCandidates(in raw: String) -> [String] {
        var found: [String] = []
        for keyword in ConnectionOptionCatalog.secretKeywords {
            var rest = Substring(raw)
            while let range = rest.firstRange(of: keyword + "=") {
                let before = range.lowerBound == raw.startIndex ? nil : raw[raw.index(before: range.lowerBound)]
                rest = rest[range.upperBound...]
                guard before == nil || before == " " || before == "?" || before == "&" || before == "\t" else { continue }
                if rest.first == "'" {
                    found.append(String(rest.dropFirst().prefix { $0 != "'" }))
                } else {
                    found.append(String(rest.prefix { $0 != " " && $0 != "&" }))
                }
            }
        }
        if let scheme = raw.firstRange(of: "://") {
            let authority = raw[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" }
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                let password = String(authority[authority.index(after: colon)..<at])
                found.append(password)
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

    /// The text with each occurrence of `target` that is not part of a longer word (no letter
    /// or digit right before or after it, when `target` starts or ends with one) replaced.
    func replacingWholeOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        func isWordCharacter(_ character: Character?) -> Bool {
            character.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false
        }
        let checksStart = isWordCharacter(target.first), checksEnd = isWordCharacter(target.last)
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            let before = range.lowerBound == startIndex ? nil : self[index(before: range.lowerBound)]
            let after = range.upperBound == endIndex ? nil : self[range.upperBound]
            if (checksStart && isWordCharacter(before)) || (checksEnd && isWordCharacter(after)) {
                result += rest[..<range.upperBound]
            } else {
                result += rest[..<range.lowerBound]
                result += replacement
            }
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

import CLibpq

/// Where an open connection really went, after libpq applied the environment and its defaults:
/// the host (a socket directory when it starts with `/`), the port, the user and the database.
public struct ConnectionEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var database: String

    /// The Unix socket's path for a socket directory, else nil.
    public var socketPath: String? { host.hasPrefix("/") ? "\(host)/.s.PGSQL.\(port)" : nil }
}

extension Connection {
    public var endpoint: ConnectionEndpoint? {
        endpointHandle.map { handle in
            func text(_ value: UnsafeMutablePointer<CChar>?) -> String { value.map { String(cString: $0) } ?? "" }
            let host = text(PQhost(handle))
            return ConnectionEndpoint(host: host.isEmpty ? "/tmp" : host, port: Int(text(PQport(handle))) ?? 5432,
                                      user: text(PQuser(handle)), database: text(PQdb(handle)))
        }
    }
}

extension ConnectionString {
    /// The same connection aimed at another database: the options libpq parsed, with `dbname`
    /// replaced, as a key=value string.
    public func with(database: String) throws -> ConnectionString {
        var options = self.options
        options["dbname"] = database
        let text = options.keys.sorted().map { key in
            var value = ""
            for character in options[key]! {
                if character == "\\" || character == "'" { value.append("\\") }
                value.append(character)
            }
            return "\(key)='\(value)'"
        }.joined(separator: " ")
        return try ConnectionString(text)
    }
}

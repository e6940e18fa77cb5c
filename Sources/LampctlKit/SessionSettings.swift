import Foundation
import Postgres

/// The settings of a new session that decide whether lampctl can work, with where each came from
/// (pg_settings.source), so that doctor can name the statement that changes it.
struct SessionSettings {
    struct Value {
        var value: String
        /// pg_settings.source: `user`, `database`, `database user`, `client`, `configuration file`, ...
        var source: String

        /// Where the value was set, in words.
        var origin: String {
            switch source {
            case "user": "set for the role"
            case "database": "set for the database"
            case "database user": "set for the role in this database"
            case "client": "set by the connection string's options or PGOPTIONS"
            default: "from the server's \(source)"
            }
        }
    }

    static let queryCanceled = "57014"

    var values: [String: Value]
    var inRecovery: Bool
    /// current_user and current_database(), quoted as identifiers.
    var role: String
    var database: String

    static func read(on connection: Connection) throws -> SessionSettings {
        let rows = try connection.execute("""
            SELECT name, setting, source, pg_is_in_recovery(), quote_ident(current_user), quote_ident(current_database())
            FROM pg_settings WHERE name IN ('default_transaction_read_only', 'statement_timeout')
            """).rows
        var values: [String: Value] = [:]
        for row in rows {
            if let name = row[0], let value = row[1] { values[name] = Value(value: value, source: row[2] ?? "") }
        }
        return SessionSettings(values: values, inRecovery: rows.first?[3] == "t",
                               role: rows.first?[4] ?? "?", database: rows.first?[5] ?? "?")
    }

    /// An identifier as quote_ident would write it.
    static func quoted(_ identifier: String) -> String {
        let plain = identifier.first.map { $0 == "_" || ("a"..."z").contains($0) } == true
            && identifier.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return plain ? identifier : "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The statement (or step) that sets `name` to `value` where it is set now.
    func fix(_ name: String, _ value: String, source: String) -> String {
        switch source {
        case "user": "ALTER ROLE \(role) SET \(name) = \(value)"
        case "database": "ALTER DATABASE \(database) SET \(name) = \(value)"
        case "database user": "ALTER ROLE \(role) IN DATABASE \(database) SET \(name) = \(value)"
        case "client": "remove -c \(name)=... from the connection string's options (or PGOPTIONS)"
        default: "ALTER SYSTEM SET \(name) = \(value); SELECT pg_reload_conf() (as a superuser)"
        }
    }
}

import LampApp
import LocalServer
import Postgres
import Scenario

/// An error as lampctl reports it: one line and an exit status.
public struct LampctlError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var status: ExitStatus

    public init(_ message: String, status: ExitStatus) {
        self.message = message
        self.status = status
    }

    public var description: String { message }

    /// Maps any error lampctl's libraries throw to its line and exit status.
    public static func from(_ error: any Error) -> LampctlError {
        switch error {
        case let error as LampctlError:
            return error
        case let error as PostgresError:
            switch error.kind {
            case .invalidConnectionString: return LampctlError(error.message, status: .usage)
            case .connectionFailed: return LampctlError(error.message, status: .unavailable)
            case .statementFailed where error.isConnectionLoss:
                return LampctlError("database connection lost: \(error.description)", status: .unavailable)
            case .statementFailed where error.sqlState == .readOnlySQLTransaction:
                // The server refuses every write: a hot standby, or default_transaction_read_only.
                return LampctlError("database error: \(error.description): this database takes no writes (a hot standby in "
                    + "recovery, or default_transaction_read_only = on): point --database-url at a primary; a standby is read "
                    + "with --replica --standby-url URL ('lampctl doctor' says which)", status: .unavailable)
            case .statementFailed:
                var line = "database error: \(error.description)"
                if let hint = error.hint { line += "; hint: \(hint)" }
                return LampctlError(line, status: .databaseError)
            }
        case let error as LampAppError:
            if case .lampNotFound = error { return LampctlError(error.description, status: .failure) }
            return LampctlError(error.description, status: .databaseError)
        case let error as ScenarioParseError:
            return LampctlError(error.description, status: .dataError)
        case let error as ScenarioRunError:
            return LampctlError(error.description, status: error.isConnectionLoss ? .unavailable : .databaseError)
        case let error as LocalServerError:
            return LampctlError("embedded PostgreSQL: \(error.message)", status: .localServer)
        default:
            return LampctlError("\(error)", status: .databaseError)
        }
    }
}

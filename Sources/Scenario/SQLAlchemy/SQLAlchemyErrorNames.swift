import LampApp
import LampSession
import Postgres

extension CaseError {
    /// The kind an error gets as a SQLAlchemy case's outcome (SQLAlchemy's exception class names,
    /// PostgreSQL's condition names), or nil when the error must end the run
    /// (a lost connection, a cancelled or otherwise rejected statement, a hook's fault).
    public static func kind(of error: any Error) -> String? {
        switch error {
        case let error as SessionError:
            switch error {
            case .detachedInstance: return "DetachedInstanceError"
            case .objectDeleted: return "ObjectDeletedError"
            case .notPersistent: return "InvalidRequestError"
            case .staleData: return "StaleDataError"
            case .identityConflict: return "FlushError"
            case .missingGreenlet: return "MissingGreenlet"
            case .refreshFoundNoRow: return "InvalidRequestError"
            case .noSavepoint: return "InvalidRequestError"
            case .pendingRollback: return "PendingRollbackError"
            }
        case LampAppError.lampNotFound: return "NoResultFound"
        case let error as NoneObject: return error.kind
        case let error as PostgresError:
            guard !error.isConnectionLoss, let state = error.sqlState else { return nil }
            return transactionConditions[state.rawValue]
        case is CaseBlocked: return blockedKind
        case is NotApplicable: return notApplicableKind
        default: return nil
        }
    }
}

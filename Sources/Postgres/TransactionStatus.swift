import CLibpq

/// Where a connection stands with respect to transactions (libpq's `PQtransactionStatus`).
public enum TransactionStatus: String, Sendable, Equatable {
    case idle
    case active
    case inTransaction = "in transaction"
    case failed = "in failed transaction"
    case unknown

    init(_ status: PGTransactionStatusType) {
        switch status {
        case PQTRANS_IDLE: self = .idle
        case PQTRANS_ACTIVE: self = .active
        case PQTRANS_INTRANS: self = .inTransaction
        case PQTRANS_INERROR: self = .failed
        default: self = .unknown
        }
    }

    /// True inside a transaction block (open or failed).
    public var isInTransaction: Bool { self == .inTransaction || self == .failed }
}

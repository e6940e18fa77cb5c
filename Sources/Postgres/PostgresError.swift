/// An error from libpq or the server: what failed, the SQLSTATE when the server sent one,
/// and the server's message, detail and hint. Never carries a password.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: Sendable, Equatable {
        /// The connection string could not be parsed.
        case invalidConnectionString
        /// The connection could not be established.
        case connectionFailed
        /// The server rejected a statement, or the connection broke while running it.
        case statementFailed
    }

    public var kind: Kind
    public var sqlState: SQLState?
    public var message: String
    public var detail: String?
    public var hint: String?
    /// The statement that failed (text only; parameters are never kept).
    public var sql: String?

    public init(kind: Kind, sqlState: SQLState? = nil, message: String,
                detail: String? = nil, hint: String? = nil, sql: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.sql = sql
    }

    /// One line, suitable for a terminal: the message and the SQLSTATE.
    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        return text
    }

    /// True when the connection itself is unusable: it could not be made, the SQLSTATE is of
    /// class 08 (connection exception) or says the server shut the backend down (57P01 admin
    /// shutdown, 57P02 crash shutdown, 57P03 cannot connect now), or libpq lost the connection
    /// without a SQLSTATE.
    public var isConnectionLoss: Bool {
        if kind == .connectionFailed { return true }
        guard let sqlState else { return kind == .statementFailed && message.contains("connection") }
        return sqlState.isConnectionException || sqlState.isServerShutdown
    }
}

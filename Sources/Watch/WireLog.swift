import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Everything the relay saw, per watched connection, stamped with seconds since the watch
/// began: statements (with parameters, results' rows, command tags, errors), transactions, and
/// the rows each connection received. Filled by the relay's threads, read after the run.
public final class WireLog: Sendable {
    /// One client connection, numbered in order of appearance (1, 2, ...).
    public struct ConnectionInfo: Sendable, Equatable {
        public var number: Int
        public var user: String
        public var database: String
        public var applicationName: String
        /// The server process serving it (BackendKeyData), 0 until known.
        public var backendPID: Int32
        /// The local client process (found through /proc), 0 when unknown.
        public var clientPID: Int32 = 0
        public var openedAt: Double
        public var closedAt: Double?
    }

    /// A statement as sent, with what came back.
    public struct Statement: Sendable, Equatable {
        public var connection: Int
        /// 1, 2, ... within its connection.
        public var number: Int
        public var text: String
        public var parameters: [String?]
        public var sentAt: Double
        public var completedAt: Double?
        /// Command tags (`SELECT 1`, `UPDATE 1`, `COMMIT`); several for a multi-statement query.
        public var tags: [String] = []
        /// `SQLSTATE: message` when the server refused it.
        public var error: String?
        /// The transaction it ran in (1, 2, ... within its connection).
        public var transaction: Int
    }

    /// A transaction of one connection: from the first statement the server ran outside one to
    /// the ReadyForQuery that said idle again.
    public struct Transaction: Sendable, Equatable {
        public enum End: String, Sendable { case committed, rolledBack = "rolled back", open }
        public var connection: Int
        public var number: Int
        public var firstSentAt: Double
        public var end: End = .open
        public var endedAt: Double?
        /// The isolation level its BEGIN (or SET TRANSACTION) named, lower case; nil: the session's default.
        public var isolation: String?
        /// True once one of its statements wrote rows (INSERT, UPDATE, DELETE, MERGE).
        public var wrote = false
        /// Rows written per verb, from the command tags (`INSERT` 2, `UPDATE` 1): the signature a
        /// decoded commit is matched by.
        public var writes: [String: Int] = [:]
        /// Statements that ran outside BEGIN ... COMMIT, each its own transaction.
        public var implicit = true
    }

    /// A row a connection received: the columns that come from a table (OID and column number
    /// from the row description), each with its value as text.
    public struct RowReceipt: Sendable, Equatable {
        public var connection: Int
        public var statement: Int
        public var transaction: Int
        public var at: Double
        public var tableOID: UInt32
        public var columns: [Int16: String?]
    }

    struct State {
        var connections: [ConnectionInfo] = []
        var statements: [Statement] = []
        var transactions: [Transaction] = []
        var receipts: [RowReceipt] = []
        /// The statements sent and not yet answered (indices into `statements`).
        var outstanding: Set<Int> = []
    }

    let state = Mutex(State())
    /// The watch's start, as `Clock.now` reads it.
    public let start: Double

    public init(start: Double = WatchClock.now()) {
        self.start = start
    }

    public func elapsed() -> Double { WatchClock.now() - start }

    func setClientPID(_ pid: Int32, connection: Int) {
        state.withLock { $0.connections[connection - 1].clientPID = pid }
    }

    func newConnection(user: String, database: String, applicationName: String) -> Int {
        state.withLock { state in
            let number = state.connections.count + 1
            state.connections.append(ConnectionInfo(number: number, user: user, database: database, applicationName: applicationName,
                                                    backendPID: 0, openedAt: elapsed(), closedAt: nil))
            return number
        }
    }

    func update<T>(_ body: (inout State) -> T) -> T { state.withLock { body(&$0) } }

    public var connections: [ConnectionInfo] { state.withLock { $0.connections } }
    public var statements: [Statement] { state.withLock { $0.statements } }
    public var transactions: [Transaction] { state.withLock { $0.transactions } }
    public var receipts: [RowReceipt] { state.withLock { $0.receipts } }
}

/// Wall-clock seconds (the decoded commits carry the server's timestamps on the same scale).
public enum WatchClock {
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

import CLibpq
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Waiting for a server that refuses connections for a while: it is full (SQLSTATE 53300, "sorry,
/// too many clients already"), or still starting up (57P03). Connecting retries with jittered
/// exponential backoff (50 ms doubling to 1 s) until `seconds` have passed, then fails as it
/// would have at once. Every other failure fails at once.
///
/// Process-wide: the CLI sets it once, from `LAMPCTL_CONNECT_WAIT`, before connecting.
public struct BusyServerWait: Sendable {
    /// How long to keep trying, in seconds (0: do not wait).
    public var seconds: Double
    /// Told the first time (per process) that a connection waits, with the refusal.
    public var onFirstWait: @Sendable (PostgresError) -> Void

    public init(seconds: Double = 30, onFirstWait: @escaping @Sendable (PostgresError) -> Void = { _ in }) {
        self.seconds = seconds
        self.onFirstWait = onFirstWait
    }

    private static let configured = Mutex(BusyServerWait())
    private static let told = Atomic<Bool>(false)

    /// The policy in force.
    public static var current: BusyServerWait {
        get { configured.withLock { $0 } }
        set { configured.withLock { $0 = newValue } }
    }

    /// One wait: its deadline and the next pause.
    public struct Waiting {
        let policy: BusyServerWait
        let deadline: Double
        var pause = 0.05

        /// A wait under the current policy (`enabled: false` gives up at the first refusal).
        public init(enabled: Bool = true) {
            policy = BusyServerWait.current
            deadline = monotonicSeconds() + (enabled ? policy.seconds : 0)
        }

        /// After a refusal: false when it is not worth waiting for or the time is up; else sleeps
        /// (saying so the first time in the process) and returns true: try again.
        public mutating func pause(after refusal: PostgresError) -> Bool {
            guard refusal.sqlState?.isWorthWaitingFor == true else { return false }
            let left = deadline - monotonicSeconds()
            guard left > 0 else { return false }
            if !BusyServerWait.told.exchange(true, ordering: .sequentiallyConsistent) { policy.onFirstWait(refusal) }
            usleep(UInt32(min(left, Double.random(in: pause / 2...pause)) * 1_000_000))
            pause = min(pause * 2, 1)
            return true
        }
    }
}

extension SQLState {
    /// Too many connections: the server, the role or the database is at its connection limit.
    public static let tooManyConnections = SQLState("53300")
    /// Cannot connect now: the server is starting up (or in recovery, not yet accepting).
    public static let cannotConnectNow = SQLState("57P03")

    /// A refusal that goes away by itself: worth waiting for.
    public var isWorthWaitingFor: Bool { self == .tooManyConnections || self == .cannotConnectNow }

    /// The SQLSTATE of a refused connection, read from libpq's `PQerrorMessage`.
    ///
    /// libpq offers no SQLSTATE for a failed `PQconnectdb`: the server's ErrorResponse only
    /// reaches the caller as text, formatted with the connection's error verbosity, which cannot
    /// be set before the blocking connect. Getting the code itself would need `PQconnectStart`
    /// with `PQsetErrorVerbosity(PQERRORS_VERBOSE)` and our own `PQconnectPoll` loop, which
    /// would re-implement libpq's `connect_timeout` and multi-host handling (`connectDBComplete`
    /// is private). So: a `SQLSTATE` or `NNNNN:` in the text when present (verbose formats),
    /// else the server's message texts for these codes (PostgreSQL 12 to 17, in English; a
    /// server with translated `lc_messages` is not recognised and fails at once, as before).
    public static func ofConnectionFailure(_ message: String) -> SQLState? {
        for code in [SQLState.tooManyConnections, .cannotConnectNow]
        where message.contains("\(code.rawValue):") || message.contains("SQLSTATE \(code.rawValue)") {
            return code
        }
        let texts: [(String, SQLState)] = [
            ("sorry, too many clients already", .tooManyConnections),
            ("remaining connection slots are reserved", .tooManyConnections),
            ("too many connections for role", .tooManyConnections),
            ("too many connections for database", .tooManyConnections),
            ("the database system is starting up", .cannotConnectNow),
            ("the database system is not yet accepting connections", .cannotConnectNow),
        ]
        return texts.first { message.contains($0.0) }?.1
    }
}

func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

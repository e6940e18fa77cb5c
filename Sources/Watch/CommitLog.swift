import Foundation
import Synchronization
public import Postgres

/// The changes the server committed while the watch ran, read through logical decoding: per
/// database a temporary slot with the built-in `test_decoding` plugin on lampctl's own
/// connection (a temporary slot is dropped by the server when that connection ends, however
/// lampctl ends), polled every `interval` seconds and once more at the end, after a flush of
/// the WAL. A write counts only once it is committed: uncommitted and rolled-back transactions
/// never reach the slot. Each commit carries its own timestamp, so polling late changes no time.
public final class CommitLog: Sendable {
    private let connect: @Sendable (String) throws -> Connection
    private let interval: Double
    private let state = Mutex(State())

    private struct State {
        var decoders: [String: Decoder] = [:]
        var transactions: [DecodedTransaction] = []
        var problems: [String] = []
        var stopped = false
    }

    /// One database's slot and connection, used by its polling thread and, at the end, by `finish`.
    private final class Decoder: @unchecked Sendable {
        let database: String
        let slot: String
        let connection: Connection
        let lock = NSLock()
        var closed = false

        init(database: String, slot: String, connection: Connection) {
            self.database = database
            self.slot = slot
            self.connection = connection
        }

        /// The changes since the last poll (nil once closed).
        func poll() throws -> [DecodedTransaction]? {
            lock.lock()
            defer { lock.unlock() }
            guard !closed else { return nil }
            let result = try connection.execute("SELECT data FROM pg_logical_slot_get_changes($1, NULL, NULL, 'include-timestamp', 'on')", [slot])
            return DecodedTransaction.parse(result.rows.compactMap { $0.first ?? nil }, database: database)
        }

        /// Makes every commit so far decodable: a server with synchronous_commit=off (the
        /// embedded one) flushes WAL only every few hundred milliseconds, and decoding stops at
        /// the flushed position. A transaction of our own that writes a record (a logical
        /// message, which decodes to nothing lampctl reads) and commits waiting for its local
        /// flush (`local`: never for a synchronous standby) flushes all that came before it.
        /// Without that privilege: wait out the WAL writer (3 x wal_writer_delay at most).
        func flush() {
            lock.lock()
            defer { lock.unlock() }
            guard !closed else { return }
            do {
                _ = try connection.execute("BEGIN")
                _ = try connection.execute("SET LOCAL synchronous_commit = local")
                _ = try connection.execute("SELECT pg_logical_emit_message(true, 'lampctl-watch', 'flush')")
                _ = try connection.execute("COMMIT")
            } catch {
                _ = try? connection.execute("ROLLBACK")
                Thread.sleep(forTimeInterval: 0.7)
            }
        }

        func close() {
            lock.lock()
            defer { lock.unlock() }
            closed = true
            connection.close()
        }
    }

    public init(interval: Double = 0.05, connect: @escaping @Sendable (String) throws -> Connection) {
        self.interval = interval
        self.connect = connect
    }

    /// Starts decoding `database` (once per database; in the background: creating a slot waits
    /// for the transactions running at that moment to end).
    public func watch(database: String) {
        let first = state.withLock { state -> Bool in
            guard !state.stopped, state.decoders[database] == nil, !state.problems.contains(where: { $0.hasPrefix(database + ":") }) else { return false }
            state.problems.append(database + ": starting")
            return true
        }
        guard first else { return }
        let thread = Thread { [self] in self.run(database: database) }
        thread.start()
    }

    private func run(database: String) {
        let decoder: Decoder
        do {
            let connection = try connect(database)
            let slot = "lampctl_watch_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
            _ = try connection.execute("SELECT pg_create_logical_replication_slot($1, 'test_decoding', true)", [slot])
            decoder = Decoder(database: database, slot: slot, connection: connection)
        } catch {
            state.withLock { state in
                state.problems.removeAll { $0 == database + ": starting" }
                state.problems.append("\(database): cannot decode committed changes: \(error)")
            }
            return
        }
        let keep = state.withLock { state -> Bool in
            state.problems.removeAll { $0 == database + ": starting" }
            guard !state.stopped else { return false }
            state.decoders[database] = decoder
            return true
        }
        guard keep else { return decoder.close() }
        while true {
            Thread.sleep(forTimeInterval: interval)
            do {
                guard let transactions = try decoder.poll() else { return }
                if !transactions.isEmpty { state.withLock { $0.transactions += transactions } }
            } catch {
                if state.withLock({ $0.stopped }) { return }
                state.withLock { $0.problems.append("\(database): decoding stopped (the server went away?), so later commits are not in this report: \(error)") }
                return
            }
        }
    }

    /// Whether every database seen so far has its slot (or failed to get one).
    public var ready: Bool { state.withLock { !$0.problems.contains { $0.hasSuffix(": starting") } } }

    /// Reads what is left, closes every slot's connection (dropping the slot) and returns all
    /// committed transactions in commit order, with the problems met.
    /// `expectingChanges`: the wire showed committed writes; while none has been decoded, the
    /// last read is tried again (up to 3 s: a loaded server's WAL writer can lag).
    public func finish(expectingChanges: Bool = false) -> (transactions: [DecodedTransaction], problems: [String]) {
        let decoders = state.withLock { state -> [Decoder] in
            state.stopped = true
            return Array(state.decoders.values)
        }
        for decoder in decoders {
            for attempt in 0..<7 {
                if attempt > 0 { Thread.sleep(forTimeInterval: 0.5) }
                decoder.flush()
                do {
                    if let rest = try decoder.poll() { state.withLock { $0.transactions += rest } }
                } catch {
                    state.withLock { $0.problems.append("\(decoder.database): the last read of the committed changes failed, so the last commits may be missing: \(error)") }
                    break
                }
                let decoded = state.withLock { $0.transactions.contains { !$0.changes.isEmpty } }
                if !expectingChanges || decoded { break }
            }
            decoder.close()
        }
        return state.withLock { ($0.transactions, $0.problems.filter { !$0.hasSuffix(": starting") }) }
    }
}

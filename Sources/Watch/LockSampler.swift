import Foundation
import Synchronization
public import Postgres

/// Samples, from the server, which watched connections wait for a lock and who holds it: every
/// `interval` seconds while some watched statement has been outstanding for longer than that,
/// one query of `pg_stat_activity` and `pg_blocking_pids` on lampctl's own connection.
public final class LockSampler: Sendable {
    /// One watched connection seen waiting, with the server processes it waited for.
    public struct Wait: Sendable, Equatable {
        public var connection: Int
        public var statement: Int
        public var at: Double
        public var blockingPIDs: [Int32]
    }

    private let log: WireLog
    private let interval: Double
    private let state = Mutex(State())
    private let connection: ConnectionBox

    private struct State {
        var waits: [Wait] = []
        var stopped = false
    }

    public init(log: WireLog, connection: Connection, interval: Double = 0.1) {
        self.log = log
        self.connection = ConnectionBox(connection)
        self.interval = interval
        Thread { [self] in run() }.start()
    }

    private func run() {
        while !state.withLock({ $0.stopped }) {
            Thread.sleep(forTimeInterval: interval)
            let now = log.elapsed()
            let (outstanding, pids) = log.update { log -> ([Int: Int], [Int32: Int]) in
                var outstanding: [Int: Int] = [:]
                for index in log.outstanding where now - log.statements[index].sentAt > interval {
                    outstanding[log.statements[index].connection] = log.statements[index].number
                }
                guard !outstanding.isEmpty else { return ([:], [:]) }
                var pids: [Int32: Int] = [:]
                for connection in log.connections where connection.backendPID != 0 && connection.closedAt == nil {
                    pids[connection.backendPID] = connection.number
                }
                return (outstanding, pids)
            }
            let waiting = outstanding.keys.compactMap { number in pids.first { $0.value == number }?.key }
            guard !waiting.isEmpty else { continue }
            let list = "{" + waiting.map(String.init).joined(separator: ",") + "}"
            guard let result = try? state.withLock({ state -> QueryResult? in
                state.stopped ? nil : try connection.connection.execute(
                    "SELECT pid, pg_blocking_pids(pid)::text FROM pg_stat_activity WHERE pid = ANY($1::int[]) AND wait_event_type = 'Lock'", [list])
            }) else { continue }
            let at = log.elapsed()
            for row in result.rows {
                guard let pid = row[0].flatMap({ Int32($0) }), let number = pids[pid], let statement = outstanding[number] else { continue }
                let blockers = (row[1] ?? "{}").trimmingCharacters(in: CharacterSet(charactersIn: "{}")).split(separator: ",").compactMap { Int32($0) }
                state.withLock { state in
                    // One wait per statement: the first sample, its blockers.
                    if !state.waits.contains(where: { $0.connection == number && $0.statement == statement }) {
                        state.waits.append(Wait(connection: number, statement: statement, at: at, blockingPIDs: blockers))
                    }
                }
            }
        }
    }

    /// Stops sampling and returns the waits seen.
    public func finish() -> [Wait] {
        state.withLock { state in
            state.stopped = true
            connection.connection.close()
            return state.waits
        }
    }
}

import Postgres

/// Finds a step that waits on a lock held by another session of the same scenario, as
/// PostgreSQL's isolation tester does: from a connection of its own (the run's admin connection),
/// `pg_isolation_test_session_is_blocked(waiter, the scenario's other backends)`, then
/// `pg_blocking_pids` to name the holder. A wait on anyone else (another program's lock) is left
/// alone: it ends as it would have (lock or statement timeout).
struct BlockedStepMonitor {
    let monitor: Connection
    /// Statements the checks sent. A check runs only while a step has waited over 10 ms, so
    /// their number depends on the machine's load; round-trip counts leave them out.
    let probes = ProbeCount()

    /// A count the checks share (they run on the run's thread, from a statement's wait).
    final class ProbeCount {
        fileprivate(set) var statements = 0
    }

    /// Throws `CaseBlocked` when the backend of `label` waits on one of `sessions`' backends.
    func check(_ label: String, among sessions: [String: Connection]) throws {
        guard let waiter = sessions[label]?.backendPID else { return }
        let others = sessions.filter { $0.key != label && !$0.value.isClosed }
        guard !others.isEmpty else { return }
        let pids = "{" + others.values.map { String($0.backendPID) }.joined(separator: ",") + "}"
        probes.statements += 1
        let blocked = try monitor.execute("SELECT pg_isolation_test_session_is_blocked($1::int, $2::int[])", [String(waiter), pids])
        guard blocked.rows.first?.first == "t" else { return }
        probes.statements += 1
        let holders = try monitor.execute("SELECT unnest(pg_blocking_pids($1::int))", [String(waiter)])
        let holderPIDs = Set(holders.rows.compactMap { $0.first ?? nil }.compactMap(Int32.init))
        let names = others.filter { holderPIDs.contains($0.value.backendPID) }.keys.sorted()
        throw CaseBlocked(session: label, holder: names.isEmpty ? "another session" : names.joined(separator: ", "))
    }
}

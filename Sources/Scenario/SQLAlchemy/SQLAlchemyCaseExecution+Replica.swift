import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LampSession
import Postgres

/// Replica routing of a SQLAlchemy case: where a test session reads (its `reads=` cluster, or the
/// primary inside a `sticky=` window), its writes on the primary, and the replica steps.
extension SQLAlchemyCaseExecution {
    static let walPositionSQL = "SELECT pg_current_wal_insert_lsn()::text"
    static let replayReachedSQL = "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS replayed, pg_last_wal_replay_lsn()::text AS replay_lsn"

    /// `report-lsn`: the application's own statement after its commit, on its primary connection.
    /// The insert position, not `pg_current_wal_lsn()` (the write position), which lags the commit
    /// record while an asynchronous commit (the embedded primary's synchronous_commit=off) is unwritten.
    mutating func reportLSN(as declaration: SessionDeclaration) throws {
        let connection = try pool.connection(for: declaration.name)
        let result = try connection.execute(Self.walPositionSQL)
        trace.record(TracedStatement(purpose: .walPosition, sql: Self.walPositionSQL, parameters: [], result: result),
                     session: declaration.name, on: connection)
        reportedLSN = result.rows.first?.first ?? nil
    }

    /// `wait-lsn`: polls the session's server (outside its ORM transaction) until it has replayed
    /// the reported LSN; records the last poll, with the replay LSN it saw.
    func waitForReportedLSN(in cluster: String, session: String, connection: Connection) throws {
        guard let lsn = reportedLSN else {
            throw ScenarioStepError("wait-lsn: no LSN reported yet (an app session's 'report-lsn' step comes first)")
        }
        // The standby cannot pass a position just past an empty page's header: wait for the boundary.
        let target = cluster == ClusterSet.primary ? lsn : try WALPosition.reachable(lsn, on: connection)
        let start = Date()
        while true {
            let result = try connection.execute(Self.replayReachedSQL, [target])
            // On the primary, pg_last_wal_replay_lsn() is null: its own commits are there.
            let reached = cluster == ClusterSet.primary || result.rows.first?.first == "t"
            if reached || Date().timeIntervalSince(start) > ReplayWait.timeout {
                trace.record(TracedStatement(purpose: .replayWait(lsn: lsn), sql: Self.replayReachedSQL, parameters: [target], result: result),
                             session: session, on: connection)
                if !reached { throw ReplayWait.Timeout(lsn: lsn, seconds: ReplayWait.timeout) }
                return
            }
            usleep(ReplayWait.pollInterval)
        }
    }

    /// `pause-replay` / `resume-replay` on the session's standby.
    mutating func controlReplay(pause: Bool, in cluster: String, session name: String, connection: Connection) throws {
        guard cluster == ClusterSet.standby else {
            throw ScenarioStepError("\(pause ? "pause-replay" : "resume-replay"): session \(name) reads the primary; replay is a standby's (reads=standby)")
        }
        let sql = pause ? "SELECT pg_wal_replay_pause()" : "SELECT pg_wal_replay_resume()"
        let result = try connection.execute(sql)
        trace.record(TracedStatement(purpose: .replayControl(pause: pause), sql: sql, parameters: [], result: result),
                     session: name, on: connection)
        if pause { pausedReplay.insert(name) } else { pausedReplay.remove(name) }
    }

    /// Resumes replay a case left paused (before measuring the lag, and before the next case).
    mutating func resumePausedReplay() throws {
        for name in pausedReplay {
            guard let declaration = scenario.declaration(name) else { continue }
            _ = try pool.connection(for: name, cluster: declaration.cluster).execute("SELECT pg_wal_replay_resume()")
        }
        pausedReplay.removeAll()
    }

    /// `create` for a session that reads a standby: the write goes to the primary (through the
    /// session's writer, its own connection there), and the test starts once the standby has
    /// replayed it (a fixture's rows are there before the test reads them).
    mutating func createOnPrimary(for declaration: SessionDeclaration, status: String?, lamp: String) throws {
        let connection = try pool.writerConnection(for: declaration.name)
        let writer = flavor.makeSession(
            connection: connection, options: options(declaration, defaultExpireOnCommit: settings.expireOnCommit), trace: trace)
        try create(status: status, lamp: lamp, in: writer)
        if declaration.stickyMilliseconds != nil { ownWrites[declaration.name] = .now }
        try writer.close()
        let lsn = try ReplayWait.currentLSN(on: connection)
        try ReplayWait.until(lsn, on: try pool.connection(for: declaration.name, cluster: declaration.cluster))
    }

    /// Where a test session's reads go: its `reads=` cluster, or the primary (through its writer's
    /// connection) while a `sticky=` window after its own write is open. Decided when the session
    /// starts (after its `create`, or after a `close`), as a new request's routing would be.
    func readCluster(_ declaration: SessionDeclaration) -> String {
        if let cluster = sessionClusters[declaration.name], testSessions[declaration.name] != nil { return cluster }
        if let window = declaration.stickyMilliseconds, let wrote = ownWrites[declaration.name],
           ContinuousClock.now - wrote < .milliseconds(window) {
            return ClusterSet.primary
        }
        return declaration.cluster
    }

    /// Before the test session acts on the standby outside a transaction (its next statement may
    /// begin one): notes what the standby has replayed, for the snapshot that transaction takes.
    mutating func noteStandbySnapshot(_ declaration: SessionDeclaration, connection: Connection) throws {
        guard declaration.name == scenario.testSession.name, readCluster(declaration) == ClusterSet.standby,
              !connection.transactionStatus.isInTransaction else { return }
        standbySnapshot = try StandbySnapshot.note(appRequestLSN: appRequestLSN, on: connection)
    }

}

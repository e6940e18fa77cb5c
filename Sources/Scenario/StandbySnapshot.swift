import Postgres

/// What a standby had replayed when a transaction on it took its snapshot: the application's last
/// request up to then (the primary's LSN after it; nil if it had made none) and whether the standby
/// had replayed it. Noted just before the snapshot is taken, outside the transaction: replay only
/// moves forward, so "replayed" then means the snapshot has it, and "not replayed" with a read that
/// still misses it means the standby was behind.
struct StandbySnapshot: Equatable {
    let appRequestLSN: String?
    let caughtUp: Bool

    /// Asks the standby (on `connection`, untraced) whether it has replayed `appRequestLSN`.
    static func note(appRequestLSN: String?, on connection: Connection) throws -> StandbySnapshot {
        guard let lsn = appRequestLSN else { return StandbySnapshot(appRequestLSN: nil, caughtUp: true) }
        return StandbySnapshot(appRequestLSN: lsn, caughtUp: try ReplayWait.hasReplayed(lsn, on: connection))
    }

    /// Whether the standby is why a read under this snapshot misses the application's last request
    /// (`lastRequestLSN`): that request was made before the snapshot and not replayed by then. A
    /// request made after the snapshot is missed because the snapshot is older (the `snapshot` layer).
    func standbyBehind(lastRequestLSN: String?) -> Bool {
        lastRequestLSN != nil && lastRequestLSN == appRequestLSN && !caughtUp
    }
}

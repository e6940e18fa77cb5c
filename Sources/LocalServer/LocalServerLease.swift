import Foundation
import Glibc
import Synchronization

/// One client's use of the embedded server: while it is held the server keeps running.
///
/// Holds a shared `flock` on `<home>/clients.lock` (and the standby's, when it has one); `release()` (or deinit, or the process
/// ending in any way, even SIGKILL) drops it, and the supervisor stops the server once no
/// client holds it.
// @unchecked: the only mutable state, the client locks, lives in a `Mutex`; `FileLock` itself
// is not Sendable, but the locks are taken out of the mutex once and closed by that caller.
public final class LocalServerLease: @unchecked Sendable {
    /// Each cluster of the home this lease keeps running, by name (`primary` always).
    public let connectionStrings: [ClusterName: String]
    /// The primary's `postgresql://postgres@/postgres?host=<socketdir, percent-encoded>&port=5432`
    /// (the port names the socket file; explicit, so PGPORT cannot move it).
    public let connectionString: String
    private let clientLocks: Mutex<[FileLock]>

    init(primary: String, others: [ClusterName: String] = [:], clientLocks: sending [FileLock]) {
        connectionString = primary
        connectionStrings = others.merging([.primary: primary]) { _, primary in primary }
        self.clientLocks = Mutex(clientLocks)
    }

    /// Drops the lease. Safe to call twice.
    public func release() {
        let held = clientLocks.withLock { locks -> [FileLock] in
            let held = locks
            locks = []
            return held
        }
        // The standby's first: its supervisor then lets the primary's go.
        for clientLock in held.reversed() { clientLock.close() }
    }

    deinit { release() }
}

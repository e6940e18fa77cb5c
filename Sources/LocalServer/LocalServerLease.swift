import Foundation
import Glibc

/// One client's use of the embedded server: while it is held the server keeps running.
///
/// Holds a shared `flock` on `<home>/clients.lock` (and the standby's, when it has one); `release()` (or deinit, or the process
/// ending in any way, even SIGKILL) drops it, and the supervisor stops the server once no
/// client holds it.
// @unchecked: the only mutable state, `clientLocks`, is read and written under `lock`.
public final class LocalServerLease: @unchecked Sendable {
    /// Each cluster of the home this lease keeps running, by name (`primary` always).
    public let connectionStrings: [ClusterName: String]
    private let lock = NSLock()
    private var clientLocks: [FileLock]

    init(connectionStrings: [ClusterName: String], clientLocks: [FileLock]) {
        self.connectionStrings = connectionStrings
        self.clientLocks = clientLocks
    }

    /// The primary's `postgresql://postgres@/postgres?host=<socketdir, percent-encoded>&port=5432`
    /// (the port names the socket file; explicit, so PGPORT cannot move it).
    public var connectionString: String { connectionStrings[.primary]! }

    /// Drops the lease. Safe to call twice.
    public func release() {
        lock.lock()
        let held = clientLocks
        clientLocks = []
        lock.unlock()
        // The standby's first: its supervisor then lets the primary's go.
        for clientLock in held.reversed() { clientLock.close() }
    }

    deinit { release() }
}

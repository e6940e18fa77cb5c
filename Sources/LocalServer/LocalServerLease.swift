import Foundation
import Glibc

/// One client's use of the embedded server: while it is held the server keeps running.
///
/// Holds a shared `flock` on `<home>/clients.lock`; `release()` (or deinit, or the process
/// ending in any way, even SIGKILL) drops it, and the supervisor stops the server once no
/// client holds it.
// @unchecked: the only mutable state, `clientLock`, is read and written under `lock`.
public final class LocalServerLease: @unchecked Sendable {
    /// Each cluster of the home this lease keeps running, by name (`primary` always).
    public let connectionStrings: [ClusterName: String]
    private let lock = NSLock()
    private var clientLock: FileLock?

    init(connectionStrings: [ClusterName: String], clientLock: FileLock) {
        self.connectionStrings = connectionStrings
        self.clientLock = clientLock
    }

    /// The primary's `postgresql://postgres@/postgres?host=<socketdir, percent-encoded>&port=5432`
    /// (the port names the socket file; explicit, so PGPORT cannot move it).
    public var connectionString: String { connectionStrings[.primary]! }

    /// Drops the lease. Safe to call twice.
    public func release() {
        lock.lock()
        let held = clientLock
        clientLock = nil
        lock.unlock()
        held?.close()
    }

    deinit { release() }
}

import Foundation
import Glibc
import Synchronization

/// One client's use of the embedded server: while it is held the server keeps running.
///
/// Holds a shared `flock` on `<home>/clients.lock`; `release()` (or deinit, or the process
/// ending in any way, even SIGKILL) drops it, and the supervisor stops the server once no
/// client holds it.
// @unchecked: the only mutable state, the client lock, lives in a `Mutex`; `FileLock` itself
// is not Sendable, but it is only ever taken out of the mutex once and closed by that caller.
public final class LocalServerLease: @unchecked Sendable {
    /// Each cluster of the home this lease keeps running, by name (`primary` always).
    public let connectionStrings: [ClusterName: String]
    /// The primary's `postgresql://postgres@/postgres?host=<socketdir, percent-encoded>&port=5432`
    /// (the port names the socket file; explicit, so PGPORT cannot move it).
    public let connectionString: String
    private let clientLock: Mutex<FileLock?>

    init(primary: String, others: [ClusterName: String] = [:], clientLock: sending FileLock) {
        connectionString = primary
        connectionStrings = others.merging([.primary: primary]) { _, primary in primary }
        self.clientLock = Mutex(clientLock)
    }

    /// Drops the lease. Safe to call twice.
    public func release() {
        let held = clientLock.withLock { lock -> FileLock? in
            let held = lock
            lock = nil
            return held
        }
        held?.close()
    }

    deinit { release() }
}

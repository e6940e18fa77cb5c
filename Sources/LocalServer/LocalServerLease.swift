import Foundation
import Glibc

/// One client's use of the embedded server: while it is held the server keeps running.
///
/// Holds a shared `flock` on `<home>/clients.lock`; `release()` (or deinit, or the process
/// ending in any way, even SIGKILL) drops it, and the supervisor stops the server once no
/// client holds it.
public final class LocalServerLease: @unchecked Sendable {
    /// `postgresql://postgres@/postgres?host=<socketdir>&port=5432` (the port names the socket file; explicit, so PGPORT cannot move it)
    public let connectionString: String
    private let lock = NSLock()
    private var clientLock: FileLock?

    init(connectionString: String, clientLock: FileLock) {
        self.connectionString = connectionString
        self.clientLock = clientLock
    }

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

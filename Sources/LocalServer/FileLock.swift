import Glibc

/// An `flock` on a lock file, through a descriptor opened `O_CLOEXEC` so no child inherits it.
///
/// Not Sendable: one owner uses it.
final class FileLock {
    enum Mode { case shared, exclusive }

    let path: String
    private(set) var fd: Int32

    init(_ path: String) throws {
        self.path = path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw LocalServerError.system("cannot open lock file \(path)") }
    }

    /// Adopts a descriptor inherited from the parent (the supervisor's lock), marking it close-on-exec.
    init(adopting fd: Int32, path: String) {
        self.path = path
        self.fd = fd
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    deinit { close() }

    /// Takes the lock if nobody holds a conflicting one; false otherwise.
    func tryLock(_ mode: Mode) throws -> Bool {
        while flock(fd, mode.operation | LOCK_NB) != 0 {
            if errno == EWOULDBLOCK { return false }
            if errno != EINTR { throw LocalServerError.system("cannot lock \(path)") }
        }
        return true
    }

    /// Polls `tryLock` every 5 ms until it succeeds or `timeout` seconds pass.
    func lock(_ mode: Mode, timeout: Double) throws -> Bool {
        let deadline = MonotonicClock.now + timeout
        while true {
            if try tryLock(mode) { return true }
            if MonotonicClock.now > deadline { return false }
            MonotonicClock.sleep(0.005)
        }
    }

    /// Closes the descriptor, which drops the lock. Safe to call twice.
    func close() {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
    }
}

extension FileLock.Mode {
    var operation: Int32 { self == .shared ? LOCK_SH : LOCK_EX }
}

/// Monotonic seconds and short sleeps for polling loops.
enum MonotonicClock {
    static var now: Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func sleep(_ seconds: Double) {
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}

import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The temporary file `--output` is writing, if any, so that the signal handler can remove it
/// before the process exits (an error path removes it itself).
public enum TemporaryOutputFile {
    private enum State: Sendable {
        case none
        case pending(String)
        /// The process is exiting on a signal: no temporary file may be created any more.
        case closed
    }

    private static let state = Mutex<State>(.none)

    /// Creates `path` (exclusively, mode 0666 minus the umask) and records it; returns the
    /// descriptor, or -1 with errno set.
    static func create(_ path: String) -> Int32 {
        let (descriptor, error) = state.withLock { state -> (Int32, Int32) in
            guard case .none = state else { return (-1, EINTR) }
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor >= 0 { state = .pending(path) }
            return (descriptor, errno)
        }
        errno = error
        return descriptor
    }

    /// The temporary file was renamed into place.
    static func finished() {
        state.withLock { state in
            if case .pending = state { state = .none }
        }
    }

    /// Removes the pending temporary file after an error.
    static func discard() {
        state.withLock { state in
            if case .pending(let path) = state {
                unlink(path)
                state = .none
            }
        }
    }

    /// For the signal handler: removes the pending temporary file, and lets no other be created.
    public static func discardForExit() {
        state.withLock { state in
            if case .pending(let path) = state { unlink(path) }
            state = .closed
        }
    }
}

import Glibc

/// How a postmaster is stopped, written once: fast shutdown (SIGINT), then immediate shutdown
/// (SIGQUIT), then SIGKILL, each step given its patience before the next.
enum StopEscalation {
    static let steps: [(signal: Int32, patience: Double)] = [(SIGINT, 30), (SIGQUIT, 5), (SIGKILL, 5)]

    enum Outcome: Equatable {
        case stopped
        /// `kill` failed with this errno (other than ESRCH, which means it is gone).
        case cannotSignal(Int32)
        case stillRunning
    }

    /// Signals `pid` step by step until `isGone()` holds; `pause(seconds)` waits between checks
    /// (the supervisor uses it to take its own signals), `onIgnored(signal)` hears each step
    /// that did not work in time.
    static func run(_ pid: pid_t, isGone: () -> Bool, pause: (Double) -> Void,
                    onIgnored: (Int32) -> Void = { _ in }) -> Outcome {
        for (signal, patience) in steps {
            if kill(pid, signal) != 0 {
                return errno == ESRCH ? .stopped : .cannotSignal(errno)
            }
            let deadline = MonotonicClock.now + patience
            while MonotonicClock.now < deadline {
                if isGone() { return .stopped }
                pause(0.005)
            }
            onIgnored(signal)
        }
        return isGone() ? .stopped : .stillRunning
    }
}

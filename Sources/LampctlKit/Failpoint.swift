import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A pause for fault tests and debugging: with `LAMPCTL_FAILPOINT=TEXT` set, lampctl stops when it
/// reaches a phase whose name contains TEXT (`connected`, `line 15: S2 switch-on`, `observe`,
/// `cleanup`), says so on stderr, and waits: SIGUSR1 resumes it, SIGINT/SIGTERM end it as usual.
/// Unset, it costs nothing.
public enum Failpoint {
    static let target = ProcessInfo.processInfo.environment["LAMPCTL_FAILPOINT"].flatMap { $0.isEmpty ? nil : $0 }
    static let resumed = Atomic<Bool>(false)

    public static var isSet: Bool { target != nil }

    /// Pauses (until SIGUSR1, or a signal that ends the process) when `phase` matches.
    public static func check(_ phase: String) {
        guard let target, phase.contains(target) else { return }
        resumed.store(false, ordering: .sequentiallyConsistent)
        // An atomic store is async-signal-safe.
        signal(SIGUSR1) { _ in Failpoint.resumed.store(true, ordering: .sequentiallyConsistent) }
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGUSR1)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)  // a parent may have spawned us with it blocked
        writeStandardError("lampctl: failpoint: paused at \(phase)\n")
        while !resumed.load(ordering: .sequentiallyConsistent) { usleep(5_000) }
    }
}

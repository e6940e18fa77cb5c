import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A pause for fault tests and debugging: with `LAMPCTL_FAILPOINT=TEXT` set, lampctl stops when it
/// reaches a phase whose name contains TEXT (`connected`, `line 15: S2 switch-on`, `observe`,
/// `cleanup`), says so on stderr, and waits for a signal. Unset, it costs nothing.
public enum Failpoint {
    static let target = ProcessInfo.processInfo.environment["LAMPCTL_FAILPOINT"].flatMap { $0.isEmpty ? nil : $0 }

    public static var isSet: Bool { target != nil }

    /// Pauses forever (until a signal ends the process) when `phase` matches.
    public static func check(_ phase: String) {
        guard let target, phase.contains(target) else { return }
        writeStandardError("lampctl: failpoint: paused at \(phase)\n")
        while true { sleep(60) }
    }
}

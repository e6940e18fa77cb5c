import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Facts about where output goes.
public enum Terminal {
    /// Whether output to a terminal (`toTerminal`) or elsewhere is coloured, by the conventions:
    /// `NO_COLOR` set to a non-empty value turns colour off (set but empty, it does nothing;
    /// no-color.org); otherwise `FORCE_COLOR` or `CLICOLOR_FORCE` set to a non-empty value other
    /// than `0` turns it on wherever output goes; otherwise colour goes to a terminal whose `TERM`
    /// is not `dumb`.
    public static func colored(toTerminal: Bool) -> Bool {
        colored(toTerminal: toTerminal, environment: ProcessInfo.processInfo.environment)
    }

    /// `colored(toTerminal:)` in `environment`.
    public static func colored(toTerminal: Bool, environment: [String: String]) -> Bool {
        func set(_ name: String) -> Bool { environment[name].map { !$0.isEmpty } ?? false }
        func forcing(_ name: String) -> Bool { set(name) && environment[name] != "0" }
        if set("NO_COLOR") { return false }
        if forcing("FORCE_COLOR") || forcing("CLICOLOR_FORCE") { return true }
        return toTerminal && environment["TERM"] != "dumb"
    }

    public static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Facts about where output goes.
public enum Terminal {
    /// Colour only when NO_COLOR is unset (any value disables it) and TERM is not `dumb`.
    public static var colorAllowed: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    public static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }
}

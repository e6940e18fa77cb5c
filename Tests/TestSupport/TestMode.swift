import Foundation

/// `make test-fast` runs only the suites listed in `Tests/fast-suites.txt` with
/// `LAMPCTL_TEST_FAST=1`: a test there that reaches for a server or Python fails, naming why,
/// so the list cannot hold a suite that is not fast.
public enum TestMode {
    public struct NotFast: Error, CustomStringConvertible {
        public var what: String
        public var description: String {
            "this test needs \(what), but make test-fast runs only tests that need no server and no Python: "
                + "remove its suite from Tests/fast-suites.txt"
        }
    }

    /// True under `make test-fast`.
    public static var isFast: Bool { ProcessInfo.processInfo.environment["LAMPCTL_TEST_FAST"] == "1" }

    /// Throws under `make test-fast`.
    public static func requireServer() throws {
        if isFast { throw NotFast(what: "a PostgreSQL server") }
    }

    /// Throws under `make test-fast`.
    public static func requirePython() throws {
        if isFast { throw NotFast(what: "Python with SQLAlchemy") }
    }
}

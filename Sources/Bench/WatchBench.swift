import Foundation
import LocalServer

/// `lampctl watch`'s cost on the suites it is proved on (Fixtures/suites): each suite run by
/// pytest directly against a running embedded server, and through `lampctl watch` on the same
/// server, in turns; the ratio of each pair is the overhead (target: under 1.5x).
public struct WatchBench {
    public struct Suite: Codable, Sendable {
        public var name: String
        /// `python -m pytest SUITE` with DATABASE_URL on the server, milliseconds.
        public var unwatched: Summary
        /// `lampctl watch -- python -m pytest SUITE` on the same server.
        public var watched: Summary
        /// Each watched run over the unwatched run before it.
        public var ratio: Summary
    }

    public struct Measurement: Codable, Sendable {
        public var suites: [Suite]
    }

    public static let suites = ["fastapi-seed", "sync-session", "django"]

    public let lampctl: String
    /// The suites' Python (tools/suites-venv.sh).
    public let python: String
    /// Fixtures/suites.
    public let directory: String

    public init(lampctl: String, python: String, directory: String) {
        self.lampctl = lampctl
        self.python = python
        self.directory = directory
    }

    func measure(runs: Int, homes: TemporaryHomes) throws -> Measurement {
        let home = try homes.make()
        defer { home.stop() }
        let server = try LocalServer.acquire(home.configuration)
        defer { server.release() }
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = nil
        environment["LAMPCTL_HOME"] = home.home
        let watch = ChildProcess(program: lampctl, environment: environment, scratch: home.directory)
        environment["DATABASE_URL"] = server.connectionString
        let direct = ChildProcess(program: python, environment: environment, scratch: home.directory)
        var measured: [Suite] = []
        for suite in Self.suites {
            let pytest = ["-m", "pytest", "-q", "-p", "no:cacheprovider", directory + "/" + suite]
            _ = try direct.succeed(pytest)
            _ = try watch.succeed(["watch", "--", python] + pytest)
            var unwatched: [Double] = [], watched: [Double] = [], ratios: [Double] = []
            for _ in 0..<runs {
                let plain = try direct.succeed(pytest).milliseconds
                let through = try watch.succeed(["watch", "--", python] + pytest).milliseconds
                unwatched.append(plain)
                watched.append(through)
                ratios.append(through / plain)
            }
            measured.append(Suite(name: suite, unwatched: Summary(unwatched), watched: Summary(watched), ratio: Summary(ratios)))
        }
        return Measurement(suites: measured)
    }
}

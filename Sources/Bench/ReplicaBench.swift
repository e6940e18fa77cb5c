import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LocalServer

/// The hot standby: its set-up from a running primary (pg_basebackup, start, ready), in
/// process, each run in a new home whose primary's files are on disk (`sync` first); and
/// `lampctl scenario --replica` end to end on a running pair, whose time should be the replica
/// built-ins' replay waits plus a few round trips.
public struct ReplicaBench {
    public struct Measurement: Codable, Sendable {
        /// `LocalServer.acquire(standby: true)` with the primary running and no standby yet, milliseconds.
        public var standbySetUp: Summary
        /// `lampctl scenario --replica` (every replica built-in) on a running embedded pair.
        public var replicaBuiltIns: Summary
        /// The built-ins it ran.
        public var cases: Int
    }

    public let lampctl: String

    public init(lampctl: String) {
        self.lampctl = lampctl
    }

    /// The homes come from `homes`, which deletes them when the whole bench ends.
    func measure(setUpRuns: Int, runs: Int, homes: TemporaryHomes) throws -> Measurement {
        var setUps: [Double] = []
        for _ in 0..<setUpRuns {
            let home = try homes.make()
            defer { home.stop() }
            let primary = try LocalServer.acquire(home.configuration)
            defer { primary.release() }
            // "Running": the primary's files are on disk, as those of a primary that has run a while.
            // Writing them back also narrows the kernel's recently-deleted window for inodes freed
            // before the bench from 300 s to 60 s (see TemporaryHomes).
            sync()
            let start = Stopwatch.now()
            let pair = try LocalServer.acquire(home.configuration, standby: true)
            setUps.append((Stopwatch.now() - start) * 1000)
            pair.release()
        }
        let home = try homes.make()
        defer { home.stop() }
        let pair = try LocalServer.acquire(home.configuration, standby: true)
        defer { pair.release() }
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = nil
        environment["STANDBY_URL"] = nil
        environment["LAMPCTL_HOME"] = home.home
        let child = ChildProcess(program: lampctl, environment: environment, scratch: home.directory)
        let arguments = ["scenario", "--replica", "--json"]
        let first = try child.succeed(arguments)
        let cases = first.standardOutput.split(separator: "\n").count
        var samples: [Double] = []
        for _ in 0..<runs {
            samples.append(try child.succeed(arguments).milliseconds)
        }
        return Measurement(standbySetUp: Summary(setUps), replicaBuiltIns: Summary(samples), cases: cases)
    }
}

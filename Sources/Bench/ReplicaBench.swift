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

    public func measure(setUpRuns: Int, runs: Int) throws -> Measurement {
        var setUps: [Double] = []
        // Every sample's home is deleted only after the last sample: on this machine's disk
        // (ext4, mounted with discard) writes stay slow for a while after a deletion of that size
        // (measured: a set-up right after the previous home's removal took 0.85-1.3 s, 0.3-0.46 s
        // without one), and that is the bench's own doing, not the set-up's.
        var homes: [TemporaryHome] = []
        defer { for home in homes { home.remove() } }
        for _ in 0..<setUpRuns {
            let home = try TemporaryHome(lampctl: lampctl)
            homes.append(home)
            let primary = try LocalServer.acquire(home.configuration)
            defer { primary.release() }
            // The copy goes through the page cache: with the writeback of earlier benchmarks' homes
            // (and of this primary's initdb) still pending, the kernel throttles it (measured: 1.1-1.3 s
            // with 300 MB dirty, 0.4-0.5 s after sync). The primary is "running": its files are written.
            sync()
            let start = Stopwatch.now()
            let pair = try LocalServer.acquire(home.configuration, standby: true)
            setUps.append((Stopwatch.now() - start) * 1000)
            pair.release()
        }
        let home = try TemporaryHome(lampctl: lampctl)
        defer { home.remove() }
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

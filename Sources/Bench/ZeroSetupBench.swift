import Foundation

/// Parts 3 and 4: the release `lampctl` as a user runs it, on the embedded default server,
/// each run a new process with its own `LAMPCTL_HOME`.
public struct ZeroSetupBench {
    public struct Measurement: Codable, Sendable {
        /// `lampctl scenario` with no state directory yet (initdb included), milliseconds.
        public var scenarioCold: Summary
        /// `lampctl scenario` with the state directory initialised and the server stopped.
        public var scenarioWarm: Summary
        /// `lampctl read ID` with the state directory initialised and the server stopped.
        public var read: Summary
    }

    /// The release `lampctl` binary.
    public let lampctl: String

    public init(lampctl: String) {
        self.lampctl = lampctl
    }

    /// The homes come from `homes`, which deletes them when the whole bench ends.
    func measure(coldRuns: Int, warmRuns: Int, homes: TemporaryHomes) throws -> Measurement {
        var cold: [Double] = []
        for _ in 0..<coldRuns {
            let home = try homes.make()
            defer { home.stop() }
            cold.append(try process(home).succeed(["scenario"]).milliseconds)
        }
        let home = try homes.make()
        defer { home.stop() }
        let child = process(home)
        let id = try child.succeed(["create"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try child.succeed(["scenario"])
        var warm: [Double] = []
        var reads: [Double] = []
        for _ in 0..<warmRuns {
            try home.waitUntilStopped()
            warm.append(try child.succeed(["scenario"]).milliseconds)
            try home.waitUntilStopped()
            let read = try child.succeed(["read", id])
            guard read.standardOutput == "off\n" else {
                throw BenchError("lampctl read \(id) printed \(read.standardOutput.debugDescription), expected \"off\\n\"")
            }
            reads.append(read.milliseconds)
        }
        try home.waitUntilStopped()
        return Measurement(scenarioCold: Summary(cold), scenarioWarm: Summary(warm), read: Summary(reads))
    }

    /// `lampctl` with this home, the embedded default (no DATABASE_URL), output in the home's directory.
    private func process(_ home: TemporaryHome) -> ChildProcess {
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = nil
        environment["LAMPCTL_HOME"] = home.home
        return ChildProcess(program: lampctl, environment: environment, scratch: home.directory)
    }
}

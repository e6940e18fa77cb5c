import Foundation
import LocalServer
import Postgres

/// The whole benchmark: parts 1-2 on a server this process holds (a fresh embedded one, or
/// `$DATABASE_URL`), also used by the release `lampctl` in parts 1b and 1c; parts 3-5 by
/// spawning the release `lampctl` on servers of its own.
public enum Benchmark {
    public struct Options: Sendable {
        /// The release `lampctl` binary to spawn (and to supervise the embedded server).
        public var lampctl: String
        /// Parts 1-2 use this server instead of starting one.
        public var databaseURL: String?
        public var matrixRuns = 15
        public var commandLineMatrixRuns = 7
        public var coldRuns = 5
        public var warmRuns = 15
        /// Runs per timing row of part 1c (scale); its many-case memory row runs once.
        public var scaleRuns = 3
        /// The steps of the file part 1c's memory rows run (96 cases of it).
        public var scaleMemorySteps = 5000
        /// The suites' Python (tools/suites-venv.sh) and Fixtures/suites, for part 6 (lampctl
        /// watch's overhead); part 6 is left out without them.
        public var suitesPython: String?
        public var suitesDirectory = "Fixtures/suites"
        public var watchRuns = 5

        public init(lampctl: String, databaseURL: String?) {
            self.lampctl = lampctl
            self.databaseURL = databaseURL
        }
    }

    /// The `lampctl scenario` arguments that run the full matrix.
    static let matrixArguments = ["scenario", "--fix", "all", "--isolation", "all", "--expire-on-commit", "both", "--app", "both"]

    /// Runs every part; `progress` hears what is being measured.
    public static func run(_ options: Options, progress: (String) -> Void) throws -> BenchResults {
        guard access(options.lampctl, X_OK) == 0 else {
            throw BenchError("\(options.lampctl) not found: build it first (swift build -c release)")
        }
        let load = currentLoad()
        let homes = TemporaryHomes(lampctl: options.lampctl)
        defer { homes.removeAll() }
        let scratch = try homes.make()
        var lease: LocalServerLease?
        defer { lease?.release() }
        let raw: String
        if let url = options.databaseURL {
            raw = url
        } else {
            progress("starting an embedded server for the matrix")
            let acquired = try LocalServer.acquire(scratch.configuration)
            lease = acquired
            raw = acquired.connectionString
        }
        let connectionString = try ConnectionString(raw)
        let probe = try Connection(connectionString)
        let rotation = [probe, try Connection(connectionString), try Connection(connectionString)]
        defer { rotation.forEach { $0.close() } }
        let version = try probe.execute("SHOW server_version").rows.first?.first ?? nil

        progress("1-2/4 full matrix in process and the round-trip floor, \(options.matrixRuns) runs")
        let cases = try MatrixBench.cases()
        _ = try MatrixBench.run(cases, on: connectionString)
        _ = try RoundTripFloor.sampleRoundTrip(probe)
        var walls: [Double] = [], counts: [MatrixBench.Counts] = []
        var roundTrips: [Double] = [], connects: [Double] = [], floors: [Double] = [], ratios: [Double] = []
        var rotating: [Double] = []
        for _ in 0..<options.matrixRuns {
            let (wall, count) = try MatrixBench.run(cases, on: connectionString)
            let roundTrip = try RoundTripFloor.sampleRoundTrip(probe)
            let connect = try RoundTripFloor.sampleConnect(connectionString)
            rotating.append(try RoundTripFloor.sampleRotatingRoundTrip(rotation))
            let floor = Double(count.roundTrips) * roundTrip + Double(count.connections) * connect
            walls.append(wall); counts.append(count)
            roundTrips.append(roundTrip); connects.append(connect); floors.append(floor); ratios.append(wall / floor)
        }
        let matrix = try MatrixBench.measurement(cases: cases.count, samples: walls, counts: counts)
        let cost = RoundTripFloor.Measurement(
            roundTrip: Summary(roundTrips), statementsPerSample: RoundTripFloor.statementsPerSample,
            connect: Summary(connects), connectionsPerSample: RoundTripFloor.connectionsPerSample, floor: Summary(floors),
            roundTripRotating: Summary(rotating))

        progress("1b/4 the full matrix through lampctl scenario, \(options.commandLineMatrixRuns) runs")
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = nil
        environment["LAMPCTL_HOME"] = scratch.home
        let child = ChildProcess(program: options.lampctl, environment: environment, scratch: scratch.directory)
        _ = try child.succeed(matrixArguments + ["--database-url", raw])
        var commandLine: [Double] = []
        for _ in 0..<options.commandLineMatrixRuns {
            commandLine.append(try child.succeed(matrixArguments + ["--database-url", raw]).milliseconds)
        }

        progress("1c/5 scale: long files, named lamps and peak memory through lampctl scenario --file, \(options.scaleRuns) runs")
        let scale = try ScaleBench(child: child, databaseURL: raw).measure(runs: options.scaleRuns, memorySteps: options.scaleMemorySteps)
        lease?.release()
        lease = nil
        scratch.stop()

        progress("3-4/4 lampctl scenario cold (\(options.coldRuns) runs), warm and read (\(options.warmRuns) runs)")
        let zeroSetup = try ZeroSetupBench(lampctl: options.lampctl).measure(
            coldRuns: options.coldRuns, warmRuns: options.warmRuns, homes: homes)

        progress("5/5 the hot standby: set-up from a running primary (\(options.coldRuns) runs), scenario --replica (\(options.coldRuns) runs)")
        let replica = try ReplicaBench(lampctl: options.lampctl).measure(
            setUpRuns: options.coldRuns, runs: options.coldRuns, homes: homes)

        var watch: WatchBench.Measurement?
        if let python = options.suitesPython {
            progress("6/6 lampctl watch on the suites of Fixtures/suites, \(options.watchRuns) runs each, watched and not")
            watch = try WatchBench(lampctl: options.lampctl, python: python, directory: options.suitesDirectory)
                .measure(runs: options.watchRuns, homes: homes)
        } else {
            progress("6/6 lampctl watch: left out (LAMPCTL_SUITES_PYTHON is not set; make bench sets it)")
        }

        let ratio = Summary(ratios)
        let targets = [
            Target(key: "matrix.wall", limit: 500, inclusive: false, value: matrix.wall.median),
            Target(key: "matrix.ratio", limit: 3, inclusive: true, value: ratio.median),
            Target(key: "scenario.cold", limit: 2000, inclusive: false, value: zeroSetup.scenarioCold.median),
            Target(key: "scenario.warm", limit: 500, inclusive: false, value: zeroSetup.scenarioWarm.median),
            Target(key: "read", limit: 250, inclusive: false, value: zeroSetup.read.median),
            Target(key: "replica.setUp", limit: 500, inclusive: false, value: replica.standbySetUp.median),
        ] + scale.targets + (watch?.suites.map {
            Target(key: "watch.\($0.name).ratio", limit: 1.5, inclusive: false, value: $0.ratio.median)
        } ?? [])
        return BenchResults(
            date: ISO8601DateFormatter().string(from: Date()),
            machine: Machine.current(postgres: version ?? "unknown", libpq: libpqVersion, load: load),
            server: options.databaseURL == nil ? "embedded" : "DATABASE_URL",
            matrix: matrix, commandLineMatrix: Summary(commandLine), roundTripCost: cost, ratio: ratio,
            zeroSetup: zeroSetup, replica: replica, scale: scale, watch: watch, targets: targets)
    }

    /// The 1-minute load average.
    static func currentLoad() -> Double {
        var loads = [Double](repeating: 0, count: 3)
        return getloadavg(&loads, 3) > 0 ? loads[0] : 0
    }
}

import Foundation

/// Everything one `lampctl-bench` run measured; written as JSON so a later run can be compared.
public struct BenchResults: Codable, Sendable {
    /// ISO 8601, UTC.
    public var date: String
    public var machine: Machine
    /// Where parts 1-2 ran: `embedded` (a LocalServer lease) or `DATABASE_URL`.
    public var server: String
    public var matrix: MatrixBench.Measurement
    /// `lampctl scenario` running the full matrix on the same server (process start and output included).
    public var commandLineMatrix: Summary
    public var roundTripCost: RoundTripFloor.Measurement
    /// Each matrix run's wall time divided by the floor sampled right after it.
    public var ratio: Summary
    public var zeroSetup: ZeroSetupBench.Measurement
    /// The hot standby (absent in results written before it existed).
    public var replica: ReplicaBench.Measurement?
    /// Long scenario files, many named lamps, peak memory (absent in results written before it existed).
    public var scale: ScaleBench.Measurement?
    /// lampctl watch on the real suites (absent in results written before it existed, or without the suites' Python).
    public var watch: WatchBench.Measurement?
    public var targets: [Target]

    /// One line of the table: a key stable across versions (for comparisons), a label, the numbers.
    public struct Row: Sendable {
        public var key: String
        public var label: String
        public var summary: Summary
        /// `ms`, `MB` or `x`.
        public var unit: String
    }

    public var rows: [Row] {
        var rows = [
            Row(key: "matrix.wall", label: "full matrix (\(matrix.cases) cases), wall", summary: matrix.wall, unit: "ms"),
            Row(key: "matrix.perCase", label: "full matrix, per case", summary: matrix.perCase, unit: "ms"),
            Row(key: "matrix.commandLine", label: "lampctl scenario, full matrix, server running", summary: commandLineMatrix, unit: "ms"),
            Row(key: "floor.roundTrip", label: "one round trip (SELECT 1, open connection)", summary: roundTripCost.roundTrip, unit: "ms"),
            Row(key: "floor.connect", label: "one connection set-up", summary: roundTripCost.connect, unit: "ms"),
            Row(key: "floor", label: "round-trip floor of the full matrix", summary: roundTripCost.floor, unit: "ms"),
            Row(key: "matrix.ratio", label: "full matrix / round-trip floor", summary: ratio, unit: "x"),
            Row(key: "scenario.cold", label: "lampctl scenario, cold (no state directory)", summary: zeroSetup.scenarioCold, unit: "ms"),
            Row(key: "scenario.warm", label: "lampctl scenario, warm (server stopped)", summary: zeroSetup.scenarioWarm, unit: "ms"),
            Row(key: "read", label: "lampctl read ID (embedded, server stopped)", summary: zeroSetup.read, unit: "ms"),
        ]
        if let replica {
            rows.append(Row(key: "replica.setUp", label: "standby set-up from a running primary", summary: replica.standbySetUp, unit: "ms"))
            rows.append(Row(key: "replica.builtIns", label: "lampctl scenario --replica (\(replica.cases) cases, 400 ms replay delay)",
                            summary: replica.replicaBuiltIns, unit: "ms"))
        }
        if let rotating = roundTripCost.roundTripRotating {
            rows.insert(Row(key: "floor.roundTripRotating", label: "one round trip, 3 open connections in turn",
                            summary: rotating, unit: "ms"), at: 4)
        }
        rows += scale?.rows ?? []
        for suite in watch?.suites ?? [] {
            rows.append(Row(key: "watch.\(suite.name).unwatched", label: "pytest Fixtures/suites/\(suite.name), server running", summary: suite.unwatched, unit: "ms"))
            rows.append(Row(key: "watch.\(suite.name).watched", label: "lampctl watch -- pytest Fixtures/suites/\(suite.name)", summary: suite.watched, unit: "ms"))
            rows.append(Row(key: "watch.\(suite.name).ratio", label: "  watched / unwatched", summary: suite.ratio, unit: "x"))
        }
        return rows
    }

    /// Reads results a previous run wrote.
    public static func load(_ path: String) throws -> BenchResults {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(BenchResults.self, from: data)
    }

    /// Writes the results as pretty-printed JSON.
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try (encoder.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path))
    }
}

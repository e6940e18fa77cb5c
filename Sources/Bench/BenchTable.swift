import Foundation

/// The results as a text table (Markdown, so docs/bench.md can quote it as is), optionally with
/// the medians of an earlier run beside them.
public enum BenchTable {
    public static func render(_ results: BenchResults, before: BenchResults? = nil) -> String {
        let earlier = Dictionary((before?.rows ?? []).map { ($0.key, $0.summary.median) }, uniquingKeysWith: { first, _ in first })
        var header = ["measurement", "median", "min", "max", "runs", "target", "met"]
        if before != nil { header.insert("before", at: 1) }
        var lines = [header]
        for row in results.rows {
            let target = results.targets.first { $0.key == row.key }
            var cells = [
                row.label, format(row.summary.median, row.unit), format(row.summary.min, row.unit),
                format(row.summary.max, row.unit), String(row.summary.runs),
                target.map { "\($0.text) \(row.unit)" } ?? "", target.map { $0.met ? "yes" : "NO" } ?? "",
            ]
            if before != nil { cells.insert(earlier[row.key].map { format($0, row.unit) } ?? "", at: 1) }
            lines.append(cells)
        }
        let widths = header.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.enumerated().map { column, width in
            column == 0 ? String(repeating: "-", count: width + 2) : String(repeating: "-", count: width + 1) + ":"
        }.joined(separator: "|") + "|"
        let matrix = results.matrix
        let counts = """
            Full matrix per run: \(matrix.roundTrips) round trips (\(matrix.traceStatements) statements in the case traces + \
            \(matrix.runLevelStatements) run-level + \(matrix.prepares ?? 0) prepares) and \(matrix.connections) connections. Floor of each run = \
            \(matrix.roundTrips) x one round trip + \(matrix.connections) x one set-up, both sampled right after it \
            (medians: \(matrix.roundTrips) x \(format(results.roundTripCost.roundTrip.median, "ms")) ms + \
            \(matrix.connections) x \(format(results.roundTripCost.connect.median, "ms")) ms).
            """
        let scale = results.scale.map { "\n" + scaleNote($0) + "\n" } ?? ""
        return ([line(lines[0]), rule] + lines.dropFirst().map(line)).joined(separator: "\n") + "\n\n" + counts + "\n" + scale
    }

    /// What the scale rows must show: time linear in steps and in lamps, memory flat in cases.
    static func scaleNote(_ scale: ScaleBench.Measurement) -> String {
        """
        Scale rows (the release lampctl on the same server; ratios are medians of each run's own ratio): \
        time must be linear in the steps (5,000 / 800 steps at most 6.25, less by the fixed start-up \
        cost) and in the named lamps (2,000 / 1,000 at most 2.3); the peak RSS (wait4's ru_maxrss) of \
        \(scale.memoryCases) cases at most 1.5 x that of one case, every case running the same \
        \(ScaleBench.Measurement.grouped(scale.memorySteps))-step file.
        """
    }

    /// Milliseconds and megabytes: 3 decimals below 10, else 1 decimal; ratios: 2 decimals.
    static func format(_ value: Double, _ unit: String) -> String {
        if unit == "x" { return String(format: "%.2f", value) }
        return value < 10 ? String(format: "%.3f", value) : String(format: "%.1f", value)
    }
}

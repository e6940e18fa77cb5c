import Foundation

/// Part 1c: how the release `lampctl` scales with the size of a scenario file, each run a whole
/// process on the bench's server (`--database-url`): wall time against the number of steps and
/// of named lamps, and peak memory against the number of cases.
public struct ScaleBench {
    /// What part 1c measured: wall times in milliseconds, peak memory in megabytes, ratios in x.
    public struct Measurement: Codable, Sendable {
        /// `scenario --file --explain` on the long file of 200, 800 and 5,000 steps.
        public var explain200: Summary
        public var explain800: Summary
        public var explain5000: Summary
        /// The 5,000-step file with `--trace`, `--diagram text` and `--diagram mermaid`.
        public var trace5000: Summary
        public var textDiagram5000: Summary
        public var mermaidDiagram5000: Summary
        /// Each run's 5,000-step wall over its 800-step wall (linear time: 6.25 or less).
        public var explainRatio: Summary
        /// `scenario --file` with 1,000 and 2,000 named lamps, and each run's ratio.
        public var lamps1000: Summary
        public var lamps2000: Summary
        public var lampsRatio: Summary
        /// The steps of the file the memory rows run.
        public var memorySteps: Int
        /// The cases of the many-case memory run (counted in its JSON output).
        public var memoryCases: Int
        /// Peak RSS of one case and of `memoryCases` cases, and their ratio.
        public var peakOneCase: Summary
        public var peakAllCases: Summary
        public var peakRatio: Summary
        /// The wall time of the many-case memory run.
        public var allCasesWall: Summary

        /// The table's rows for this part.
        var rows: [BenchResults.Row] {
            [
                row("scale.explain.200", "scenario --file --explain, 200 steps", explain200, "ms"),
                row("scale.explain.800", "scenario --file --explain, 800 steps", explain800, "ms"),
                row("scale.explain.5000", "scenario --file --explain, 5,000 steps", explain5000, "ms"),
                row("scale.explainRatio", "5,000 / 800 steps (linear time: 6.25 or less)", explainRatio, "x"),
                row("scale.trace.5000", "scenario --file --trace, 5,000 steps", trace5000, "ms"),
                row("scale.diagramText.5000", "scenario --file --diagram text, 5,000 steps", textDiagram5000, "ms"),
                row("scale.diagramMermaid.5000", "scenario --file --diagram mermaid, 5,000 steps", mermaidDiagram5000, "ms"),
                row("scale.lamps.1000", "scenario --file, 1,000 named lamps", lamps1000, "ms"),
                row("scale.lamps.2000", "scenario --file, 2,000 named lamps", lamps2000, "ms"),
                row("scale.lampsRatio", "2,000 / 1,000 named lamps", lampsRatio, "x"),
                row("scale.peak.one", "peak RSS, \(Self.grouped(memorySteps)) steps, 1 case", peakOneCase, "MB"),
                row("scale.peak.all", "peak RSS, \(Self.grouped(memorySteps)) steps, \(memoryCases) cases", peakAllCases, "MB"),
                row("scale.peakRatio", "peak RSS, \(memoryCases) cases / 1 case", peakRatio, "x"),
                row("scale.allCasesWall", "\(memoryCases) cases of \(Self.grouped(memorySteps)) steps, wall", allCasesWall, "ms"),
            ]
        }

        /// The goals of this part.
        var targets: [Target] {
            [
                Target(key: "scale.explain.5000", limit: 3000, inclusive: false, value: explain5000.median),
                Target(key: "scale.lampsRatio", limit: 2.3, inclusive: true, value: lampsRatio.median),
                Target(key: "scale.peakRatio", limit: 1.5, inclusive: true, value: peakRatio.median),
            ]
        }

        private func row(_ key: String, _ label: String, _ summary: Summary, _ unit: String) -> BenchResults.Row {
            BenchResults.Row(key: key, label: label, summary: summary, unit: unit)
        }

        /// `5,000`, `800`: a count with a thousands comma, as the labels write it.
        static func grouped(_ count: Int) -> String {
            count >= 1000 ? "\(count / 1000),\(String(format: "%03d", count % 1000))" : String(count)
        }
    }

    /// `lampctl scenario` on the bench's server; files and output go to the child's scratch directory.
    let child: ChildProcess
    /// The bench's server, passed as `--database-url`.
    let databaseURL: String

    /// One case: the settings the memory row's single case runs with.
    static let oneCase = ["--isolation", "read-committed", "--expire-on-commit", "false", "--app", "commit", "--driver", "sync"]
    /// Every isolation, expire_on_commit, app, driver and fixture: 3 x 2 x 2 x 2 x 4 = 96 cases.
    static let allCases = ["--isolation", "all", "--expire-on-commit", "both", "--app", "both", "--driver", "both", "--fixture", "all"]

    /// A scenario of `steps` steps: `S1 create`, then eight steps in turn (the application
    /// switches the lamp on every eighth), then `S1 select` and `S1 expect on`.
    static func longScenario(steps: Int) -> String {
        let body = ["S1 refresh", "S2 switch-on", "S1 select", "S1 sql-read", "S1 commit", "S1 expire", "S1 select", "S1 rollback"]
        var lines = ["scenario long", "session S1 test", "session S2 app", "S1 create"]
        lines += (0..<max(steps - 3, 0)).map { body[$0 % body.count] }
        lines += ["S1 select", "S1 expect on"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A scenario that creates `lamps` named lamps (`l0`, `l1`, ...) and reads the first one.
    static func lampsScenario(lamps: Int) -> String {
        var lines = ["scenario lamps", "session S1 test", "session S2 app"]
        lines += (0..<lamps).map { "S1 create l\($0)" }
        lines += ["S2 switch-on l0", "S1 select l0", "S1 expect l0 on"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// `runs` timed runs per timing row (interleaved, so each ratio compares runs made side by
    /// side); three one-case memory runs and one many-case run of a `memorySteps`-step file.
    func measure(runs: Int, memorySteps: Int) throws -> Measurement {
        let long = try [200, 800, 5000].map { try write("long-\($0).scenario", Self.longScenario(steps: $0)) }
        let lamps = try [1000, 2000].map { try write("lamps-\($0).scenario", Self.lampsScenario(lamps: $0)) }
        let memoryFile = memorySteps == 5000 ? long[2] : try write("long-\(memorySteps).scenario", Self.longScenario(steps: memorySteps))
        _ = try scenario(long[0], ["--explain"])  // warm up the binary's pages and the server

        var explain: [[Double]] = [[], [], []], renderings: [[Double]] = [[], [], []], named: [[Double]] = [[], []]
        for _ in 0..<runs {
            for (index, file) in long.enumerated() {
                explain[index].append(try scenario(file, ["--explain"]).milliseconds)
            }
            for (index, flags) in [["--trace"], ["--diagram", "text"], ["--diagram", "mermaid"]].enumerated() {
                renderings[index].append(try scenario(long[2], flags).milliseconds)
            }
            for (index, file) in lamps.enumerated() {
                named[index].append(try scenario(file, []).milliseconds)
            }
        }

        var peakOne: [Double] = []
        for _ in 0..<runs {
            peakOne.append(try scenario(memoryFile, Self.oneCase + ["--json"], cases: 1).maxResidentMegabytes)
        }
        let all = try scenario(memoryFile, Self.allCases + ["--json"])
        let cases = all.standardOutput.split(separator: "\n").count
        let peakOneCase = Summary(peakOne)
        return Measurement(
            explain200: Summary(explain[0]), explain800: Summary(explain[1]), explain5000: Summary(explain[2]),
            trace5000: Summary(renderings[0]), textDiagram5000: Summary(renderings[1]), mermaidDiagram5000: Summary(renderings[2]),
            explainRatio: Summary(zip(explain[2], explain[1]).map { $0 / $1 }),
            lamps1000: Summary(named[0]), lamps2000: Summary(named[1]),
            lampsRatio: Summary(zip(named[1], named[0]).map { $0 / $1 }),
            memorySteps: memorySteps, memoryCases: cases,
            peakOneCase: peakOneCase, peakAllCases: Summary([all.maxResidentMegabytes]),
            peakRatio: Summary([all.maxResidentMegabytes / peakOneCase.median]),
            allCasesWall: Summary([all.milliseconds]))
    }

    /// Writes a scenario file into the scratch directory and returns its path.
    private func write(_ name: String, _ text: String) throws -> String {
        let path = child.scratch + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `lampctl scenario --file FILE FLAGS --database-url URL`, which must succeed (and, with
    /// `cases`, print that many JSON lines).
    private func scenario(_ file: String, _ flags: [String], cases: Int? = nil) throws -> ChildProcess.Outcome {
        let outcome = try child.succeed(["scenario", "--file", file] + flags + ["--database-url", databaseURL])
        if let cases, outcome.standardOutput.split(separator: "\n").count != cases {
            throw BenchError("lampctl scenario --file \(file) \(flags.joined(separator: " ")) printed \(outcome.standardOutput.split(separator: "\n").count) lines, expected \(cases)")
        }
        return outcome
    }
}

public import ArgumentParser
import Foundation
import LampctlKit
public import Scenario
import LampSession

struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Run the two-session scenario once per fix strategy and print stale or fresh, and why.",
        discussion: """
            S1 is the test's session, S2 the application's, S3 a fresh connection that reads the committed truth. Each run uses a private schema (lampctl_run_...) that is dropped at the end, also after an error or Ctrl-C.

            Verdict: fresh when the test's object equals the committed status. Layer: identity map (S1's transaction saw the new value, the object kept the old one) or snapshot (S1's transaction itself did not see it).

            Examples:
              lampctl scenario
              lampctl scenario --fix refresh,commit --isolation all
              lampctl scenario --fix none --trace
              lampctl scenario --fix none --diagram mermaid --output none.mmd
              lampctl scenario --show rollback > mine.scenario
              lampctl scenario --file mine.scenario --explain
              lampctl scenario --fix shared-session --expect fresh
              lampctl scenario --orm django
              lampctl scenario --orm django --fixture all --isolation all
              lampctl scenario --isolation all --report report.html
              lampctl scenario --fix all --junit results.xml --expect fresh
            """)

    @Option(name: .customLong("orm"), help: ArgumentHelp("Whose rules the sessions follow: sqlalchemy or django (default: sqlalchemy; a file's 'scenario NAME orm=...' line says its own).", valueName: "orm"))
    var orms: [ORM] = []

    // List options may be repeated (their lists add up); the others may be given once (an array
    // each, so that a second one is refused instead of silently replacing the first).
    @Option(name: .customLong("fix"), help: ArgumentHelp("Strategies to run, a comma list (default: all: the nine fix strategies; the fixture-* built-ins, which pin their own recipe, run by name).", valueName: "name[,name...]|all"))
    var fixLists: [StrategyList] = []

    @Option(name: .customLong("file"), help: ArgumentHelp("Run a scenario file (repeatable; - reads standard input).", valueName: "path"),
            completion: .file())
    var files: [String] = []

    @Option(name: .customLong("isolation"), help: ArgumentHelp("The test session's isolation levels, a comma list (default: server-default).", valueName: "level"))
    var isolationLists: [IsolationList] = []

    @Option(name: .customLong("expire-on-commit"), help: ArgumentHelp("The test session's expire_on_commit (default: false).", valueName: "bool"))
    var expireOnCommitLists: [ExpireOnCommitList] = []

    @Option(name: .customLong("app"), help: ArgumentHelp("What the application does; flush forgets to commit (default: commit).", valueName: "mode"))
    var appLists: [AppList] = []

    @Option(name: .customLong("driver"), help: ArgumentHelp("The test session's driver: sync (Session), async (AsyncSession) or both (default: sync).", valueName: "driver"))
    var driverLists: [DriverList] = []

    @Option(name: .customLong("fixture"), help: ArgumentHelp("How the app gets its session: independent, override-get-db, savepoint-join, rollback-per-test, or all (default: independent); Django's test wrappers: live-server, transaction-test-case, test-case, test-case-live-server, or all (default: live-server).", valueName: "recipe"))
    var fixtureLists: [FixtureList] = []

    @Flag(help: "JSON Lines, one object per case.")
    var json = false

    @Flag(help: "Print every statement each session sent, with the ORM's events.")
    var trace = false

    @Option(name: .customLong("diagram"), help: ArgumentHelp("Draw each case as a sequence diagram: text (default) or mermaid.", valueName: "format"))
    var diagrams: [DiagramFormat] = []

    @Flag(help: "Explain each case from what happened in the run.")
    var explain = false

    @Option(name: .customLong("output"), help: ArgumentHelp("Write the output to a file instead of stdout (as '>' would, atomically; - is stdout).", valueName: "file"),
            completion: .file())
    var outputs: [String] = []

    @Option(name: .customLong("report"), help: ArgumentHelp("Also write a self-contained HTML report: the table, and per case its sequence diagram, explanation and trace (written as --output writes).", valueName: "file.html"),
            completion: .file(extensions: ["html"]))
    var reports: [String] = []

    @Option(name: .customLong("junit"), help: ArgumentHelp("Also write JUnit XML for a CI job's test tab: a testsuite per strategy, a testcase per case, a failed expect as failure, an error or blocked step as error.", valueName: "file.xml"),
            completion: .file(extensions: ["xml"]))
    var junits: [String] = []

    @Option(name: .customLong("expect"), help: ArgumentHelp("Exit 1 unless every case has this verdict (for CI).", valueName: "fresh|stale"))
    var expectations: [Verdict] = []

    @Flag(help: "End a case at its first failed expect, as pytest does at a failed assert (the summary shows where that changes the outcome).")
    var stopAtFailedExpect = false

    @Flag(help: "List the built-in scenarios.")
    var list = false

    @Option(name: .customLong("show"), help: ArgumentHelp("Print a built-in scenario file.", valueName: "name"), completion: .list(BuiltInScenarios.names + BuiltInScenarios.fixtureNames))
    var shows: [String] = []

    @Flag(help: "Print the scenario file grammar (with --json: as JSON, for tools).")
    var grammar = false

    @OptionGroup var database: DatabaseOptions

    var fix: String? { fixLists.isEmpty ? nil : fixLists.map(\.text).joined(separator: ",") }
    var isolation: String? { isolationLists.isEmpty ? nil : isolationLists.map(\.text).joined(separator: ",") }
    var expireOnCommit: String? { expireOnCommitLists.isEmpty ? nil : expireOnCommitLists.map(\.text).joined(separator: ",") }
    var app: String? { appLists.isEmpty ? nil : appLists.map(\.text).joined(separator: ",") }
    var driver: String? { driverLists.isEmpty ? nil : driverLists.map(\.text).joined(separator: ",") }
    var fixture: String? { fixtureLists.isEmpty ? nil : fixtureLists.map(\.text).joined(separator: ",") }
    var diagram: DiagramFormat? { diagrams.last }
    var output: String? { outputs.last }
    var report: String? { reports.last }
    var junit: String? { junits.last }
    var expect: Verdict? { expectations.last }
    var show: String? { shows.last }
    var orm: ORM? { orms.last }

    @OptionGroup var standby: StandbyOptions

    func validate() throws {
        var flags = ScenarioFlags()
        let counts: [(String, Int)] = [("--orm", orms.count), ("--diagram", diagrams.count), ("--output", outputs.count), ("--report", reports.count), ("--junit", junits.count), ("--expect", expectations.count), ("--show", shows.count)]
        flags.repeated = counts.filter { $0.1 > 1 }.map(\.0)
        flags.fix = fix != nil
        flags.file = !files.isEmpty
        flags.isolation = isolation != nil
        flags.expireOnCommit = expireOnCommit != nil
        flags.app = app != nil
        flags.driver = driver != nil
        flags.fixture = fixture != nil
        flags.stopAtFailedExpect = stopAtFailedExpect
        flags.json = json
        flags.trace = trace
        flags.explain = explain
        flags.expect = expect != nil
        flags.diagram = diagram?.rawValue
        flags.list = list
        flags.show = show != nil
        flags.grammar = grammar
        flags.report = report != nil
        flags.junit = junit != nil
        if let contradiction = flags.contradiction() { throw ValidationError(contradiction) }
    }

    func run() throws {
        // Before anything is read or run: the output must not replace one of the inputs.
        let outputs = [("--output", output), ("--report", report), ("--junit", junit)].compactMap { option, path in path.map { (option, $0) } }
        try OutputInputOverlap.check(outputs: outputs, inputs: files.map { ("--file", $0) })
        if grammar || list || show != nil {
            let sink = try OutputSink(path: output)
            if grammar {
                sink.write(json ? ScenarioGrammar.json(for: orm ?? .sqlalchemy) : ScenarioGrammar.reference(for: orm ?? .sqlalchemy))
            } else {
                sink.write(try show.map(ScenarioCatalogue.source(named:)) ?? ScenarioCatalogue.listing(replica: standby.replica, orm: orm ?? .sqlalchemy))
            }
            try sink.commit()
            return
        }
        let definitions = try ScenarioSelection.definitions(fix: fix, files: files, replica: standby.replica, orm: orm)
        let runORM = ScenarioSelection.orm(of: definitions, asked: orm)
        if runORM != .sqlalchemy, let option = [(expireOnCommit, "--expire-on-commit"), (app, "--app"), (driver, "--driver")]
            .first(where: { $0.0 != nil })?.1 {
            throw LampctlError("\(option) is SQLAlchemy's; this run is \(runORM.displayName)'s", status: .usage)
        }
        let needsStandby = standby.replica || ScenarioSelection.needsStandby(definitions)
        // A file that controls replay names the standby too (a primary-reading one is refused at that step).
        try standby.checkUsed(needed: needsStandby || definitions.contains { $0.steps.contains { [.pauseReplay, .resumeReplay].contains($0.action) } })
        let (isolations, isolationNote) = try ScenarioSelection.standbyIsolations(
            try ScenarioSelection.isolations(isolation ?? "server-default"), requested: isolation ?? "server-default",
            definitions: definitions)
        if let isolationNote { writeStandardError(isolationNote + "\n") }
        let dimensions = Dimensions(
            isolations: isolations,
            expireOnCommit: try ScenarioSelection.expireOnCommit(expireOnCommit ?? "false"),
            apps: try ScenarioSelection.apps(app ?? "commit"),
            drivers: try ScenarioSelection.drivers(driver ?? "sync"),
            fixtures: try ScenarioSelection.fixtures(fixture, orm: runORM))
        guard !definitions.isEmpty, !dimensions.isolations.isEmpty, !dimensions.expireOnCommit.isEmpty, !dimensions.apps.isEmpty,
              !dimensions.drivers.isEmpty, !dimensions.fixtures.isEmpty else {
            throw LampctlError("nothing to run: --fix, --isolation, --expire-on-commit, --app, --driver and --fixture each need a value",
                               status: .usage)
        }
        if let note = ScenarioSelection.standbyFixtureNote(dimensions.fixtures, definitions: definitions) {
            writeStandardError(note + "\n")
        }
        let cases = dimensions.cases(for: definitions)
        let sink = try OutputSink(path: output)
        let reports = try RunReports(html: report, junit: junit)
        let db = try standby.open(database, needed: needsStandby)
        defer { db.close() }
        var presentation = ScenarioPresentation(
            json: json, trace: trace, diagram: diagram.map { $0 == .mermaid ? .mermaid : .text }, explain: explain, colored: Terminal.colored(toTerminal: sink.isTerminal))
        presentation.connectionNote = db.connectionNote
        presentation.showsDriver = cases.contains { $0.settings.driver == .async }
        presentation.showsFixture = fixture != nil
            || cases.contains { $0.settings.fixture != $0.scenario.orm.defaultFixture || $0.scenario.testSession.fixture != nil }
        sink.write(presentation.opening)
        let progress = ProgressLine(planned: cases.count)
        defer { progress.finish() }
        let result = try ScenarioRun.execute(
            cases, database: db, stopAtFailedExpect: stopAtFailedExpect, showsFixture: presentation.showsFixture,
            keepsEvents: presentation.finalNeedsEvents, onResult: { caseResult in
                let text = presentation.streamed(caseResult)
                // The progress line shares the terminal only when the output goes there too.
                if sink.isTerminal && !text.isEmpty { progress.paused { sink.write(text) } } else { sink.write(text) }
                reports.add(caseResult)
                progress.caseFinished()
            })
        progress.finish()
        sink.write(presentation.final(result.cases))
        try sink.commit()
        try reports.write(result, database: db.source.label)
        if let expect, let wrong = result.cases.first(where: { $0.verdict != expect }) {
            throw LampctlError("expected every case \(expect.rawValue); \(wrong.scenario) (\(wrong.settingsLabel())) is \(wrong.verdict?.rawValue ?? wrong.outcomeText)", status: .failure)
        }
    }
}

/// `--diagram` formats.
enum DiagramFormat: String, ExpressibleByArgument, CaseIterable {
    case text, mermaid
}

extension ORM: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
    public static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

extension Verdict: ExpressibleByArgument {
    public static var allValueStrings: [String] { ["fresh", "stale"] }
    public static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

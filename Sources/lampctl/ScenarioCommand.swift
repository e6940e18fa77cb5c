import ArgumentParser
import Foundation
import LampctlKit
import Scenario

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
            """)

    @Option(help: ArgumentHelp("Strategies to run: a comma list of built-in names, or all.", valueName: "name[,name...]|all"))
    var fix: String?

    @Option(name: .customLong("file"), help: ArgumentHelp("Run a scenario file (repeatable).", valueName: "path"))
    var files: [String] = []

    @Option(help: ArgumentHelp("read-committed, repeatable-read, serializable, server-default (comma list) or all.", valueName: "level"))
    var isolation = "server-default"

    @Option(help: ArgumentHelp("The test session's expire_on_commit: true, false or both.", valueName: "bool"))
    var expireOnCommit = "false"

    @Option(help: ArgumentHelp("What the application does: commit, flush (forgets to commit) or both.", valueName: "mode"))
    var app = "commit"

    @Option(help: ArgumentHelp("The test session's driver: sync (Session), async (AsyncSession) or both.", valueName: "driver"))
    var driver = "sync"

    @Flag(help: "JSON Lines, one object per case.")
    var json = false

    @Flag(help: "Print every statement each session sent, with the ORM's events.")
    var trace = false

    @Option(help: ArgumentHelp("Draw each case as a sequence diagram: text (default) or mermaid.", valueName: "format"))
    var diagram: DiagramFormat?

    @Flag(help: "Explain each case from what happened in the run.")
    var explain = false

    @Option(help: ArgumentHelp("Write the output to a file instead of stdout.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Exit 1 unless every case has this verdict (for CI).", valueName: "fresh|stale"))
    var expect: Verdict?

    @Flag(help: "End a case at its first failed expect, as pytest does at a failed assert (the summary shows where that changes the outcome).")
    var stopAtFailedExpect = false

    @Flag(help: "List the built-in scenarios.")
    var list = false

    @Option(help: ArgumentHelp("Print a built-in scenario file.", valueName: "name"))
    var show: String?

    @Flag(help: "Print the scenario file grammar (with --json: as JSON, for tools).")
    var grammar = false

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if json && diagram != nil { throw ValidationError("--json and --diagram cannot be combined") }
    }

    func run() throws {
        if grammar {
            print(json ? ScenarioGrammar.json : ScenarioGrammar.reference, terminator: "")
            return
        }
        if list {
            for (name, _) in BuiltInScenarios.sources {
                let summary = try BuiltInScenarios.definition(named: name)?.summary ?? ""
                print(name.padding(toLength: 19, withPad: " ", startingAt: 0) + summary)
            }
            return
        }
        if let show {
            guard let text = BuiltInScenarios.source(named: show) else {
                throw LampctlError("unknown scenario '\(show)': expected one of \(BuiltInScenarios.names.joined(separator: ", "))", status: .usage)
            }
            print(text, terminator: "")
            return
        }
        let definitions = try ScenarioSelection.definitions(fix: fix, files: files)
        let dimensions = Dimensions(
            isolations: try ScenarioSelection.isolations(isolation),
            expireOnCommit: try ScenarioSelection.expireOnCommit(expireOnCommit),
            apps: try ScenarioSelection.apps(app),
            drivers: try ScenarioSelection.drivers(driver))
        guard !definitions.isEmpty, !dimensions.isolations.isEmpty, !dimensions.expireOnCommit.isEmpty, !dimensions.apps.isEmpty,
              !dimensions.drivers.isEmpty else {
            throw LampctlError("nothing to run: --fix, --isolation, --expire-on-commit, --app and --driver each need a value", status: .usage)
        }
        let cases = dimensions.cases(for: definitions)
        let sink = try OutputSink(path: output)
        let db = try database.open()
        defer { db.close() }
        var presentation = ScenarioPresentation(
            json: json, trace: trace, diagram: diagram.map { $0 == .mermaid ? .mermaid : .text }, explain: explain, colored: sink.isTerminal && Terminal.colorAllowed)
        presentation.connectionNote = db.connectionNote
        presentation.showsDriver = cases.contains { $0.settings.driver == .async }
        sink.write(presentation.opening)
        let result = try ScenarioRun.execute(
            cases, database: db, stopAtFailedExpect: stopAtFailedExpect,
            onResult: { sink.write(presentation.streamed($0)) })
        sink.write(presentation.final(result.cases))
        try sink.commit()
        if let expect, let wrong = result.cases.first(where: { $0.verdict != expect }) {
            throw LampctlError("expected every case \(expect.rawValue); \(wrong.scenario) (\(wrong.isolationInEffect), expire_on_commit=\(wrong.settings.expireOnCommit), app=\(wrong.settings.app.rawValue)) is \(wrong.verdict?.rawValue ?? wrong.outcomeText)", status: .failure)
        }
    }
}

/// `--diagram` formats.
enum DiagramFormat: String, ExpressibleByArgument, CaseIterable {
    case text, mermaid
}

extension Verdict: ExpressibleByArgument {}

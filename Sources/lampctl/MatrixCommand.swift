import ArgumentParser
import Foundation
import LampctlKit
import LampSession
import Scenario
import ScenarioRendering

struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Run every fix strategy under every driver and test wrapper, and print which are fresh.",
        discussion: """
            Rows: ORM x driver x test wrapper (fixture recipe); columns: the ORM's fix strategies. Each cell is what the case came to: fresh, stale with its layer, false pass, error with its name, or blocked. docs/matrix.md is this command's Markdown.

            Examples:
              lampctl matrix
              lampctl matrix --isolation repeatable-read
              lampctl matrix --format md --output matrix.md
              lampctl matrix --format html --output matrix.html --orm django
            """)

    @Option(name: .customLong("isolation"), help: ArgumentHelp("The test's isolation level: read-committed (default), repeatable-read, serializable or server-default.", valueName: "level"))
    var isolations: [String] = []

    @Option(name: .customLong("orm"), help: ArgumentHelp("The ORMs to run, a comma list (default: all: sqlalchemy,django).", valueName: "orm[,orm...]|all"))
    var ormLists: [String] = []

    @Option(name: .customLong("format"), help: ArgumentHelp("table (default), md (Markdown) or html (a self-contained page).", valueName: "format"))
    var formats: [MatrixFormat] = []

    @Option(name: .customLong("output"), help: ArgumentHelp("Write to a file instead of stdout (as '>' would, atomically; - is stdout).", valueName: "file"),
            completion: .file())
    var outputs: [String] = []

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        try OnceOptions.check([("--isolation", isolations.count), ("--format", formats.count), ("--output", outputs.count)])
    }

    func run() throws {
        let isolation = try MatrixSelection.isolation(isolations.last ?? "read-committed")
        let orms = try MatrixSelection.orms(ormLists.joined(separator: ","))
        let sink = try OutputSink(path: outputs.last)
        let db = try database.open()
        defer { db.close() }
        let (matrix, run) = try MatrixRun.execute(orms: orms, isolation: isolation, database: db)
        switch formats.last ?? .table {
        case .table: sink.write(FixMatrixRenderer.text(matrix, colored: Terminal.colored(toTerminal: sink.isTerminal)))
        case .md: sink.write(FixMatrixRenderer.markdown(matrix, preamble: MatrixRun.markdownPreamble(run, isolation: matrix.isolation)))
        case .html:
            sink.write(FixMatrixRenderer.html(matrix, context: ReportContext(
                lampctlVersion: LampctlVersion.current, serverVersion: run.serverVersion, database: db.source.label, date: ReportDate.now())))
        }
        try sink.commit()
    }
}

/// `lampctl matrix --format`.
enum MatrixFormat: String, ExpressibleByArgument, CaseIterable {
    case table, md, html
}

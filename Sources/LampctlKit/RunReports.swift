public import Scenario
import ScenarioRendering

/// The files a run writes beside its main output: `--report` (HTML) and `--junit` (JUnit XML).
/// Both paths are checked before the run; the report's case sections are rendered as each case
/// finishes (so no event log is kept), and both files are written whole at the end.
public final class RunReports {
    private let html: FileOutput?
    private let junit: FileOutput?
    private var report = HTMLReport()

    public init(html: String?, junit: String?) throws {
        self.html = try html.map { try FileOutput(path: $0, option: "--report") }
        self.junit = try junit.map { try FileOutput(path: $0, option: "--junit") }
    }

    /// One finished case, with its events.
    public func add(_ result: CaseResult) {
        if html != nil { report.add(result) }
    }

    /// Writes the files; `database` says where the run ran (never a URL).
    public func write(_ run: RunResult, database: String) throws {
        guard html != nil || junit != nil else { return }
        let context = ReportContext(lampctlVersion: LampctlVersion.current, serverVersion: run.serverVersion,
                                    database: database, date: ReportDate.now())
        try html?.write(report.render(run.cases, context: context))
        try junit?.write(JUnitReport.render(run.cases, context: context))
    }
}

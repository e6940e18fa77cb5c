public import Scenario
import ScenarioRendering

/// How `lampctl scenario` prints: what goes out as each case finishes, and what at the end.
public struct ScenarioPresentation {
    public enum Diagram: Sendable { case text, mermaid }

    public var json: Bool
    public var trace: Bool
    public var diagram: Diagram?
    public var explain: Bool
    public var colored: Bool
    /// A line said once at the top of `--trace` output about the connection (e.g. that a
    /// SQLAlchemy URL's driver was dropped); see `Database.connectionNote`.
    public var connectionNote: String?
    /// The run includes an async test session: the JSON gains `driver` (the table shows it by itself).
    public var showsDriver = false
    /// The run shows the fixture dimension (`--fixture`, or a recipe other than independent).
    public var showsFixture = false

    public init(json: Bool, trace: Bool, diagram: Diagram?, explain: Bool, colored: Bool) {
        self.json = json
        self.trace = trace
        self.diagram = diagram
        self.explain = explain
        self.colored = colored
    }

    /// Output before the first case.
    public var opening: String {
        guard trace, !json, let connectionNote else { return "" }
        return connectionNote + "\n"
    }

    /// Output for one finished case.
    public func streamed(_ result: CaseResult) -> String {
        if json { return JSONLinesRenderer.line(result, driver: showsDriver) + "\n" }
        if diagram == .mermaid { return "" }
        var out = ""
        if trace { out += TraceRenderer.render(result) + "\n" }
        if diagram == .text { out += DiagramRenderer.text(result) + "\n" }
        if explain { out += ExplainRenderer.explain(result) + "\n" }
        return out
    }

    /// Whether `final` reads the cases' event logs (only the Mermaid diagrams drawn at the end do).
    public var finalNeedsEvents: Bool { !json && diagram == .mermaid }

    /// Output after the last case. Mermaid: the bare markup for one case; for several, Markdown
    /// with one fenced `mermaid` block per case (one file, renders on GitHub).
    public func final(_ results: [CaseResult]) -> String {
        if json { return "" }
        if diagram == .mermaid {
            if results.count == 1 { return DiagramRenderer.mermaid(results[0]) }
            return results.map { result in
                "## \(TraceRenderer.header(result))\n\n```mermaid\n\(DiagramRenderer.mermaid(result))```\n"
            }.joined(separator: "\n")
        }
        return TableRenderer.render(results, colored: colored) + "\n" + SummaryRenderer.render(results)
    }
}

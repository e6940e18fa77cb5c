public import ScenarioModel

/// Sequence diagrams of one case: each session, the database and the observer as lifelines, one
/// arrow per statement, ORM events as notes, and the stale read marked. Pure functions of the result.
public enum DiagramRenderer {
    /// An ASCII diagram at most `width` characters wide (narrower widths are raised to fit the lifelines).
    public static func text(_ result: CaseResult, width: Int = 100) -> String {
        TextDiagram(DiagramScript(result), width: width).render()
    }

    /// Mermaid `sequenceDiagram` markup.
    public static func mermaid(_ result: CaseResult) -> String {
        MermaidDiagram(DiagramScript(result)).render()
    }
}

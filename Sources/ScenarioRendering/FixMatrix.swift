public import ScenarioModel
import LampSession

/// The fix matrix (`lampctl matrix`), pivoted from real results: per ORM a table whose rows are
/// driver x test wrapper and whose columns are that ORM's fix strategies; each cell says what
/// the case came to: `fresh`, `stale: LAYER`, `false pass`, `error: KIND`, `blocked` or `n/a`.
public struct FixMatrix: Sendable {
    public struct Row: Sendable {
        public var driver: String
        public var wrapper: String
        /// One per strategy, in the section's column order.
        public var cells: [Cell]
    }

    public struct Cell: Sendable {
        public var text: String
        public var tone: Tone
    }

    /// How a cell reads at a glance (its colour, always beside its word).
    public enum Tone: Sendable { case good, bad, warn }

    public struct Section: Sendable {
        public var orm: ORM
        public var strategies: [String]
        public var rows: [Row]
    }

    public var sections: [Section]
    /// The isolation the cases ran at, as PostgreSQL spells it.
    public var isolation: String

    /// Pivots `results`: sections in ORM order, strategies and rows in the order the cases ran.
    public init(_ results: [CaseResult]) {
        isolation = SummaryRenderer.orderedValues(results.map(\.isolationInEffect.test)).joined(separator: ", ")
        sections = ORM.allCases.compactMap { orm in
            let own = results.filter { $0.ormRan == orm }
            guard !own.isEmpty else { return nil }
            let strategies = SummaryRenderer.orderedNames(own)
            // Driver-major, then the wrappers in the order they ran.
            let drivers = SummaryRenderer.orderedValues(own.map(\.settings.driver.rawValue))
            let wrappers = SummaryRenderer.orderedValues(own.map(\.settings.fixture.rawValue))
            let present = Set(own.map { Self.rowKey($0) })
            let keys = drivers.flatMap { driver in wrappers.map { "\(driver) \($0)" } }.filter(present.contains)
            let rows = keys.map { key in
                let cases = own.filter { Self.rowKey($0) == key }
                let first = cases[0]
                return Row(driver: orm == .sqlalchemy ? first.settings.driver.rawValue : "sync",
                           wrapper: first.settings.fixture.rawValue,
                           cells: strategies.map { name in cases.first { $0.scenario == name }.map(Self.cell) ?? Cell(text: "-", tone: .warn) })
            }
            return Section(orm: orm, strategies: strategies, rows: rows)
        }
    }

    private static func rowKey(_ result: CaseResult) -> String {
        "\(result.settings.driver.rawValue) \(result.settings.fixture.rawValue)"
    }

    /// What one case came to, in a few words.
    static func cell(_ result: CaseResult) -> Cell {
        if let error = result.error {
            if error.isNotApplicable { return Cell(text: "n/a", tone: .warn) }
            return error.isBlocked ? Cell(text: "blocked", tone: .bad) : Cell(text: "error: \(error.kind)", tone: .bad)
        }
        let observation = result.observation
        if observation.outcome == .falsePass { return Cell(text: "false pass", tone: .bad) }
        if observation.verdict == .stale { return Cell(text: "stale: " + (observation.layer?.rawValue ?? "?"), tone: .bad) }
        if observation.fixture?.appChangeLost == true { return Cell(text: "fresh, app change lost", tone: .warn) }
        return Cell(text: "fresh", tone: .good)
    }

    /// What the cells mean (for every format).
    public static let legend = [
        "fresh: the test's object holds the committed value (the fix works here)",
        "stale: LAYER: the test read an old value; LAYER says where it came from (identity map, instance copy, queryset cache: the ORM's memory; snapshot: the test's transaction; uncommitted write: a change nobody committed)",
        "false pass: the test's expect holds, but its object disagrees with the committed value",
        "fresh, app change lost: fresh during the test, but the wrapper's teardown rolled back the application's change",
        "error: KIND: the case ended with that exception or PostgreSQL condition; blocked: a step waited on a lock the test holds",
    ]

    /// The header cells of a section's table.
    public static func header(_ section: Section) -> [String] { ["ORM", "driver", "wrapper"] + section.strategies }
}

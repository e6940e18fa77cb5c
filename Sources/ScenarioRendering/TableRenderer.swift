public import ScenarioModel
import LampSession
import LampApp

/// The default output: one row per case, verdicts coloured when `colored`.
public enum TableRenderer {
    public static let columns = [
        "strategy", "isolation", "expire_on_commit", "app", "object", "transaction sees",
        "committed", "verdict", "outcome", "layer",
    ]

    /// The isolation that ran; `(default)` when it is the server's default, left to it.
    static func isolation(_ result: CaseResult) -> String {
        let label = result.isolationInEffect
        return label.description + (result.settings.isolation == .serverDefault && label.others.isEmpty ? " (default)" : "")
    }

    /// With an async test session in the run, a `driver` column follows `app`; in a run that shows
    /// fixture recipes, a `fixture` column follows them, and `other connection`, `after teardown`
    /// and `app change` follow `committed`.
    public static func render(_ results: [CaseResult], colored: Bool) -> String {
        table(results).render(colored: colored)
    }

    /// The table as cells: the text table and the HTML report's results table.
    static func table(_ results: [CaseResult]) -> TextTable {
        let showsDriver = results.contains { $0.settings.driver == .async }
        let showsFixture = results.contains { $0.observation.fixture != nil }
        // expire_on_commit and app are SQLAlchemy's settings: a run of another ORM has neither column.
        let showsSQLAlchemy = results.contains { $0.orm == nil }
        let fixtureColumns = ["other connection", "after teardown", "app change"]
        var header = Array(columns[...(showsSQLAlchemy ? 3 : 1)]) + (showsDriver ? ["driver"] : []) + (showsFixture ? [showsSQLAlchemy ? "fixture" : "wrapper"] : [])
        header += Array(columns[4...6]) + (showsFixture ? fixtureColumns : []) + Array(columns[7...])
        var table = TextTable(header: header)
        for result in results {
            let observation = result.observation
            let sqlalchemy: [TextTable.Cell] = showsSQLAlchemy
                ? [.init(text: String(result.settings.expireOnCommit)), .init(text: result.settings.app.rawValue)] : []
            let settings: [TextTable.Cell] = [
                .init(text: result.scenario),
                .init(text: isolation(result)),
            ] + sqlalchemy + (showsDriver ? [.init(text: result.settings.driver.rawValue)] : [])
                + (showsFixture ? [.init(text: result.settings.fixture.rawValue)] : [])
            let fixture: [TextTable.Cell] = showsFixture ? fixtureCells(observation.fixture) : []
            if let error = result.error {
                table.rows.append(settings + [
                    .init(text: "-"), .init(text: "-"),
                    .init(text: observation.committedStatus ?? "NULL"),
                ] + fixture + [
                    .init(text: "-"),
                    .init(text: error.summary, color: .red),
                    .init(text: "-"),
                ])
                continue
            }
            let verdictColor: ANSIColor = observation.verdict == .fresh ? .green : .red
            let outcomeColor: ANSIColor = switch observation.outcome {
            case .truePass: .green
            case .trueFailure: .yellow
            case .falsePass, .falseFailure: .red
            case .noAssertion: verdictColor
            }
            var object = observation.objectStatus ?? "NULL"
            if !observation.sameObject { object += " (new object)" }
            table.rows.append(settings + [
                .init(text: object),
                .init(text: observation.transactionStatus ?? "NULL"),
                .init(text: observation.committedStatus ?? "NULL"),
            ] + fixture + [
                .init(text: observation.verdict.rawValue, color: verdictColor),
                .init(text: observation.outcome.rawValue, color: outcomeColor),
                .init(text: observation.layer?.rawValue ?? "-"),
            ])
        }
        return table
    }

    /// `other connection`, `after teardown` (`-`: the row is invisible there) and `app change`
    /// (`survives`; `lost` in red: the application's write is gone from what is committed;
    /// `unseen`: committed, but not visible to the test's connection at the end).
    private static func fixtureCells(_ fixture: FixtureObservation?) -> [TextTable.Cell] {
        guard let fixture else { return [.init(text: "-"), .init(text: "-"), .init(text: "-")] }
        let change: TextTable.Cell =
            if fixture.appChangeLost { .init(text: "lost", color: .red) }
            else if fixture.appChangeUnseen { .init(text: "unseen") }
            else if fixture.appChangeSurvives == true { .init(text: "survives") }
            else { .init(text: "-") }
        return [.init(text: fixture.otherConnectionStatus ?? "-"), .init(text: fixture.afterTeardownStatus ?? "-"), change]
    }
}

public import Scenario
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
        return label + (result.settings.isolation == .serverDefault && !label.contains("(") ? " (default)" : "")
    }

    /// With an async test session in the run, a `driver` column follows `app`.
    public static func render(_ results: [CaseResult], colored: Bool) -> String {
        let showsDriver = results.contains { $0.settings.driver == .async }
        var table = TextTable(header: showsDriver ? Array(columns[...3]) + ["driver"] + Array(columns[4...]) : columns)
        for result in results {
            let observation = result.observation
            if let error = result.error {
                table.rows.append([
                    .init(text: result.scenario),
                    .init(text: isolation(result)),
                    .init(text: String(result.settings.expireOnCommit)),
                    .init(text: result.settings.app.rawValue),
                ] + (showsDriver ? [.init(text: result.settings.driver.rawValue)] : []) + [
                    .init(text: "-"), .init(text: "-"),
                    .init(text: observation.committedStatus ?? "NULL"),
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
            }
            var object = observation.objectStatus ?? "NULL"
            if !observation.sameObject { object += " (new object)" }
            table.rows.append([
                .init(text: result.scenario),
                .init(text: isolation(result)),
                .init(text: String(result.settings.expireOnCommit)),
                .init(text: result.settings.app.rawValue),
            ] + (showsDriver ? [.init(text: result.settings.driver.rawValue)] : []) + [
                .init(text: object),
                .init(text: observation.transactionStatus ?? "NULL"),
                .init(text: observation.committedStatus ?? "NULL"),
                .init(text: observation.verdict.rawValue, color: verdictColor),
                .init(text: observation.outcome.rawValue, color: outcomeColor),
                .init(text: observation.layer?.rawValue ?? "-"),
            ])
        }
        return table.render(colored: colored)
    }
}

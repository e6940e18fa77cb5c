public import LampSession
import Postgres
public import ScenarioModel

/// `--trace`: per case, every statement each session sent, in order, labelled, with parameters and
/// what came back, and the sessions' ORM events inline.
public enum TraceRenderer {
    public static func render(_ result: CaseResult) -> String {
        var out = "== \(header(result)) ==\n"
        for event in result.events {
            switch event {
            case let .step(marker):
                out += "-- \(marker.title)\n"
            case let .observation(marker):
                out += "-- \(marker.title)\n"
            case let .expectation(session, expectation):
                out += "\(pad(session))  * \(expectation.description)\n"
            case let .session(entry):
                switch entry.kind {
                case let .statement(statement):
                    out += "\(pad(entry.session))  \(statement.server.map { "[\($0)] " } ?? "")\(line(statement))\n"
                case let .event(event):
                    out += "\(pad(entry.session))  * \(event)\n"
                }
            }
        }
        if let error = result.error {
            return out + "=> \(error.summary) (\(error.step): \(error.message)); committed \(displayValue(result.observation.committedStatus))\n"
        }
        out += "=> object \(displayValue(result.observation.objectStatus)), transaction sees \(displayValue(result.observation.transactionStatus)), "
            + "committed \(displayValue(result.observation.committedStatus)): \(result.observation.verdict.rawValue), \(result.observation.outcome.rawValue)"
            + (result.observation.layer.map { " (\($0.rawValue))" } ?? "") + "\n"
        return out
    }

    /// `refresh | read committed | expire_on_commit=false | app=commit`
    public static func header(_ result: CaseResult) -> String {
        "\(result.scenario) | " + result.settingsLabel(separator: " | ")
    }

    /// `SELECT ... WHERE lamps.id = $1  [$1='1']  -> id='1' status='on'`
    public static func line(_ statement: TracedStatement) -> String {
        var text = statement.sql.split(whereSeparator: \.isNewline).map { String($0).trimmedWhitespace }.joined(separator: " ")
        if !statement.parameters.isEmpty {
            let parameters = statement.parameters.enumerated().map { "$\($0.offset + 1)=\(displayValue($0.element))" }
            text += "  [\(parameters.joined(separator: ", "))]"
        }
        if let error = statement.error {
            text += "  -> ERROR: \(error)"
        } else if let result = statement.result, !result.columns.isEmpty {
            let rows = result.rows.map { row in
                zip(result.columns, row).map { "\($0)=\(displayValue($1))" }.joined(separator: " ")
            }
            text += "  -> " + (rows.isEmpty ? "(no rows)" : rows.joined(separator: "; "))
        }
        return text
    }

    private static func pad(_ label: String) -> String {
        label.count >= 3 ? label : label + String(repeating: " ", count: 3 - label.count)
    }

}

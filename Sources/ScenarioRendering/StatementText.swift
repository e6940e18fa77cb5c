import LampSession
import ScenarioModel
import Postgres

/// How renderers show a statement: shortened SQL with compact parameters, and the reply that matters.
enum StatementText {
    /// e.g. `SELECT lamps ... id=$1 [1]`, `UPDATE lamps SET status=$1 WHERE id=$2 ['on', 1]`.
    static func request(_ statement: TracedStatement) -> String {
        let sql = shorten(statement)
        return statement.parameters.isEmpty ? sql : sql + " " + parameters(statement.parameters)
    }

    /// What came back, when it says something: `status='on'`, `id=1, status='off'`, `UPDATE 1`,
    /// `ERROR: ...`; `nil` for transaction control. Columns equal to a parameter (the key) are left out.
    static func reply(_ statement: TracedStatement) -> String? {
        if let error = statement.error {
            let text = error.description
            return "ERROR: " + (text.split(separator: "\n").first.map(String.init) ?? text)
        }
        guard let result = statement.result else { return nil }
        if result.columns.isEmpty {
            let verb = result.commandTag.split(separator: " ").first.map(String.init) ?? ""
            return ["UPDATE", "DELETE", "INSERT"].contains(verb) ? result.commandTag : nil
        }
        guard let row = result.rows.first else { return "no rows" }
        let pairs = zip(result.columns, row).filter { column, value in
            !(result.columns.count > 1 && value != nil && statement.parameters.contains(value))
        }
        let text = pairs.map { "\($0.0)=\(value($0.1))" }.joined(separator: ", ")
        return result.rows.count > 1 ? text + " (+\(result.rows.count - 1) rows)" : text
    }

    /// `[1]`, `['on', 1]`, `[NULL]`.
    static func parameters(_ values: [String?]) -> String {
        "[" + values.map(value).joined(separator: ", ") + "]"
    }

    /// A value as diagrams show it: digits bare, text quoted, NULL.
    static func value(_ value: String?) -> String {
        guard let value else { return "NULL" }
        if !value.isEmpty, value.allSatisfy(\.isNumber) { return value }
        return "'\(value)'"
    }

    /// The SQL text with the table's qualifiers and the spaces around `=` dropped; the ORM's load
    /// of a whole row by key becomes `SELECT lamps ... id=$1`. The table and whether it is such a
    /// load come from the statement's purpose; the text is only shortened for display.
    static func shorten(_ statement: TracedStatement) -> String {
        var text = statement.sql
        if let table = table(of: statement.purpose) {
            text = text.replacing("\(table).", with: "")
        }
        text = text.replacing(" = ", with: "=")
        guard case let .load(table, _) = statement.purpose else { return text }
        guard let condition = text.firstRange(of: " WHERE ") else { return "SELECT \(table) ..." }
        return "SELECT \(table) ... " + text[condition.upperBound...]
    }

    /// The table a statement's purpose names.
    private static func table(of purpose: StatementPurpose) -> String? {
        switch purpose {
        case let .load(table, _), let .insert(table, _), let .update(table, _, _), let .delete(table, _): return table
        case .begin, .savepoint, .releaseSavepoint, .rollbackToSavepoint, .commit, .rollback, .plain: return nil
        case .walPosition, .replayWait, .replayControl, .synchronousCommit: return nil
        }
    }
}

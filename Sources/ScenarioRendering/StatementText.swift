import LampSession
import Scenario

/// How renderers show a statement: shortened SQL with compact parameters, and the reply that matters.
enum StatementText {
    /// e.g. `SELECT lamps ... id=$1 [1]`, `UPDATE lamps SET status=$1 WHERE id=$2 ['on', 1]`.
    static func request(_ statement: TracedStatement) -> String {
        let sql = shorten(statement.sql)
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

    /// Drops table qualifiers and spaces around `=`; a SELECT of several columns of one table becomes
    /// `SELECT lamps ... <condition>` (the ORM's load of a whole row).
    static func shorten(_ sql: String) -> String {
        var text = sql
        if let table = table(in: sql) {
            text = text.replacing("\(table).", with: "")
        }
        text = text.replacing(" = ", with: "=")
        guard text.hasPrefix("SELECT "), let from = text.firstRange(of: " FROM ") else { return text }
        let columns = text[text.index(text.startIndex, offsetBy: 7)..<from.lowerBound]
        guard columns.contains(","), let table = table(in: sql) else { return text }
        guard let whereRange = text.firstRange(of: " WHERE ") else { return "SELECT \(table) ..." }
        return "SELECT \(table) ... " + text[whereRange.upperBound...]
    }

    /// The table after FROM, INTO or UPDATE.
    private static func table(in sql: String) -> String? {
        let words = sql.split(separator: " ")
        for (index, word) in words.enumerated() where ["FROM", "INTO", "UPDATE"].contains(String(word)) {
            if index + 1 < words.count { return String(words[index + 1]) }
        }
        return nil
    }
}

/// The rows and command tag of one statement, copied out of libpq's result.
public struct QueryResult: Sendable, Equatable, Codable {
    /// Column names in order.
    public var columns: [String]
    /// Rows of text values (`nil` for SQL NULL).
    public var rows: [[String?]]
    /// The command tag, e.g. `SELECT 1` or `UPDATE 1`.
    public var commandTag: String

    public init(columns: [String] = [], rows: [[String?]] = [], commandTag: String = "") {
        self.columns = columns
        self.rows = rows
        self.commandTag = commandTag
    }

    /// The value of the named column in the given row.
    public func value(_ column: String, row: Int = 0) -> String? {
        guard let index = columns.firstIndex(of: column), row < rows.count else { return nil }
        return rows[row][index]
    }

    /// Number of rows affected by INSERT/UPDATE/DELETE, from the command tag.
    public var affectedRows: Int {
        Int(commandTag.split(separator: " ").last ?? "") ?? 0
    }
}

/// What the session needs to know about a mapped table: its name, key column and other columns.
///
/// The table name is unqualified: the connection's `search_path` names lampctl's schema.
public struct ModelDescription: Sendable, Hashable {
    public let table: String
    public let primaryKey: String
    /// Non-key columns, in SELECT order.
    public let columns: [String]
    /// Columns the server fills when an INSERT leaves them out (fetched back with RETURNING).
    public let serverDefaults: Set<String>

    public init(table: String, primaryKey: String, columns: [String], serverDefaults: Set<String> = []) {
        self.table = table
        self.primaryKey = primaryKey
        self.columns = columns
        self.serverDefaults = serverDefaults
    }

    func qualified(_ column: String) -> String { "\(table).\(column)" }

    /// `SELECT lamps.id, lamps.status FROM lamps WHERE lamps.id = $1`
    var selectByKeySQL: String {
        let list = ([primaryKey] + columns).map(qualified).joined(separator: ", ")
        return "SELECT \(list) FROM \(table) WHERE \(qualified(primaryKey)) = $1"
    }
}

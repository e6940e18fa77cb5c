/// Which statement texts a connection has prepared, and when to prepare one: on its second use
/// (a text used once is never worth the extra round trip of `PQprepare`), for at most `limit`
/// texts per connection.
///
/// Executing by name skips the server's parse and plan of each statement, which on a local
/// socket costs more than the round trip itself for a query on a table.
struct PreparedStatements {
    enum Decision: Equatable {
        /// Send the text (first use, or the limit is reached).
        case send
        /// Prepare under this name, then execute it.
        case prepare(String)
        /// Already prepared under this name.
        case execute(String)
    }

    static let limit = 64

    private var names: [String: String] = [:]
    private var seen: Set<String> = []

    mutating func decide(_ sql: String) -> Decision {
        if let name = names[sql] { return .execute(name) }
        guard names.count < Self.limit else { return .send }
        if seen.insert(sql).inserted { return .send }
        return .prepare("lampctl_\(names.count + 1)")
    }

    /// Records that `sql` now exists on the server as `name`.
    mutating func prepared(_ sql: String, as name: String) {
        names[sql] = name
        seen.remove(sql)
    }
}

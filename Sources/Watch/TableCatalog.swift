import Synchronization
public import Postgres

/// What lampctl watch needs to know of a table a watched connection received rows from: its
/// name as logical decoding spells it (`public.suite_lamps`), its columns by number, and its
/// primary key. Looked up on lampctl's own connection the first time a row description names
/// the table (while it surely exists), per database.
public final class TableCatalog: Sendable {
    public struct Table: Sendable, Equatable {
        public var oid: UInt32
        public var database: String
        /// `schema.table`, each part quoted where SQL needs it (as test_decoding prints it).
        public var qualifiedName: String
        /// The table's name alone, for reports.
        public var name: String
        public var columns: [Int16: String]
        /// The primary key's columns, in key order; empty when the table has none.
        public var key: [Int16]
    }

    private let connect: @Sendable (String) throws -> Connection
    private let state = Mutex(State())

    private struct State {
        var tables: [String: [UInt32: Table]] = [:]
        /// Tables seen but not found (created in a transaction still open), by database.
        var pending: Set<Pending> = []
        // Not Sendable: only used inside the lock.
        var connections: [String: ConnectionBox] = [:]
    }

    /// `connect`: a connection to a database by name (lampctl's own, not relayed).
    public init(connect: @escaping @Sendable (String) throws -> Connection) {
        self.connect = connect
    }

    struct Pending: Hashable {
        var database: String
        var oid: UInt32
    }

    /// Looks again for the tables not found so far (once a transaction ended, one may be visible).
    public func retryPending() {
        let pending = state.withLock { $0.pending }
        for table in pending { learn(table.oid, database: table.database) }
    }

    func learn(_ oid: UInt32, database: String) {
        state.withLock { state in
            // A table not found (yet: created in a transaction still open) is looked up again next time.
            guard state.tables[database]?[oid] == nil else { return }
            do {
                let box: ConnectionBox
                if let existing = state.connections[database] {
                    box = existing
                } else {
                    box = ConnectionBox(try connect(database))
                    state.connections[database] = box
                }
                let result = try box.connection.execute("""
                    SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relname, a.attnum, a.attname,
                           coalesce((SELECT k.n FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n) WHERE k.attnum = a.attnum), 0)
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                    LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
                    WHERE c.oid = $1 ORDER BY a.attnum
                    """, [String(oid)])
                guard let first = result.rows.first else {
                    state.pending.insert(Pending(database: database, oid: oid))
                    return
                }
                state.pending.remove(Pending(database: database, oid: oid))
                var columns: [Int16: String] = [:]
                var key: [(position: Int, column: Int16)] = []
                for row in result.rows {
                    guard let number = row[2].flatMap({ Int16($0) }), let name = row[3] else { continue }
                    columns[number] = name
                    if let position = row[4].flatMap({ Int($0) }), position > 0 { key.append((position, number)) }
                }
                state.tables[database, default: [:]][oid] = Table(
                    oid: oid, database: database, qualifiedName: first[0] ?? "", name: first[1] ?? "",
                    columns: columns, key: key.sorted { $0.position < $1.position }.map(\.column))
            } catch {
                // The connection failed: the next sight of a table connects again.
                state.connections[database]?.connection.close()
                state.connections[database] = nil
            }
        }
    }

    public func table(_ oid: UInt32, database: String) -> Table? {
        state.withLock { $0.tables[database]?[oid] }
    }

    public var tables: [Table] {
        state.withLock { $0.tables.values.flatMap(\.values) }
    }

    /// Closes lampctl's catalog connections.
    public func close() {
        state.withLock { state in
            for box in state.connections.values { box.connection.close() }
            state.connections = [:]
        }
    }
}

/// A connection used only under `TableCatalog`'s lock.
final class ConnectionBox: @unchecked Sendable {
    let connection: Connection
    init(_ connection: Connection) { self.connection = connection }
}

import Synchronization

/// Turns what the relay saw (`WireLog`), the tables it learnt (`TableCatalog`) and what the
/// server committed (`DecodedTransaction`s) into findings. Rows are identified by their table
/// and primary key, taken from each result's own columns, never from the SQL text.
public struct FindingAnalysis {
    public let log: WireLogSnapshot
    public let tables: [TableCatalog.Table]
    public let committed: [DecodedTransaction]
    public let waits: [LockSampler.Wait]

    /// One row of one table.
    struct RowID: Hashable {
        var database: String
        var table: String
        var key: [String]
    }

    struct Receipt {
        var connection: Int
        var statement: Int
        var transaction: Int
        var at: Double
        var values: [String: String?]
    }

    struct Change {
        var row: RowID
        var kind: DecodedTransaction.Change.Kind
        var values: [String: String?]
        var at: Double
        var writer: Int?
        var statement: Int?
    }

    public init(log: WireLogSnapshot, tables: [TableCatalog.Table], committed: [DecodedTransaction], waits: [LockSampler.Wait] = []) {
        self.log = log
        self.tables = tables
        self.committed = committed
        self.waits = waits
    }

    public func findings() -> [Finding] {
        let receipts = rowReceipts()
        let changes = committedChanges()
        // The time of the next change to the same row, for each change (one pass from the end).
        var nextAt = [Double](repeating: .infinity, count: changes.count)
        var laterByRow: [RowID: Double] = [:]
        for index in changes.indices.reversed() {
            nextAt[index] = laterByRow[changes[index].row] ?? .infinity
            laterByRow[changes[index].row] = changes[index].at
        }
        var findings: [Finding] = []
        for (index, change) in changes.enumerated() where change.kind != .insert {
            let next = nextAt[index]
            for (connection, seen) in receipts[change.row, default: [:]] where connection != change.writer {
                guard let before = seen.last(where: { $0.at < change.at }) else { continue }
                // Only a connection that holds a value the commit changed.
                let differing = change.values.keys.filter { column in
                    before.values.keys.contains(column) && before.values[column]! != change.values[column]!
                }
                guard !differing.isEmpty else { continue }
                let after = seen.filter { $0.at >= change.at && $0.at < next }
                let stale = after.first { receipt in
                    differing.contains { column in receipt.values.keys.contains(column) && receipt.values[column]! != change.values[column]! }
                }
                let kind: Finding.Kind
                let shown: Receipt?
                if let stale {
                    (kind, shown) = (.oldSnapshot, stale)
                } else if let fresh = after.first {
                    (kind, shown) = (.reReadFresh, fresh)
                } else if change.kind == .update {
                    (kind, shown) = (.nothingNewer, nil)
                } else {
                    continue  // a deleted row nobody read again
                }
                findings.append(Finding(
                    kind: kind, table: tableName(change.row), key: keyParts(change.row),
                    committed: Finding.Sighting(connection: change.writer, statement: change.statement, at: change.at,
                                                values: change.values.filter { differing.contains($0.key) }),
                    reader: connection, before: sighting(before, columns: differing), after: shown.map { sighting($0, columns: differing) }))
            }
        }
        findings += neverCommitted(receipts, changes)
        findings += blocked()
        return findings.sorted { ($0.reader, $0.before.at) < ($1.reader, $1.before.at) }
    }

    /// Values received in a transaction that wrote and did not commit, which no commit ever held.
    private func neverCommitted(_ receipts: [RowID: [Int: [Receipt]]], _ changes: [Change]) -> [Finding] {
        var findings: [Finding] = []
        let uncommitted = Set(log.transactions.filter { $0.wrote && $0.end != .committed }.map { "\($0.connection) \($0.number)" })
        let histories = Dictionary(grouping: changes.filter { $0.kind != .delete }, by: \.row)
        for (row, byConnection) in receipts {
            let history = histories[row] ?? []
            guard !history.isEmpty else { continue }  // a row from before the watch: its committed values are unknown
            for (connection, seen) in byConnection {
                var reported = Set<[String]>()
                for receipt in seen where uncommitted.contains("\(connection) \(receipt.transaction)") {
                    let columns = receipt.values.keys.sorted()
                    let everCommitted = history.contains { change in
                        columns.allSatisfy { column in !change.values.keys.contains(column) || change.values[column]! == receipt.values[column]! }
                    }
                    let signature = columns.map { "\($0)=\(receipt.values[$0]!.map { $0 } ?? "NULL")" }
                    guard !everCommitted, reported.insert(signature).inserted else { continue }
                    findings.append(Finding(kind: .neverCommitted, table: tableName(row), key: keyParts(row), committed: nil,
                                            reader: connection, before: sighting(receipt, columns: columns), after: nil))
                }
            }
        }
        return findings
    }

    /// Each statement seen waiting for a lock, with the holders' connections and last statements.
    private func blocked() -> [Finding] {
        waits.compactMap { wait in
            guard let statement = log.statements.first(where: { $0.connection == wait.connection && $0.number == wait.statement }) else { return nil }
            let holders = wait.blockingPIDs.map { pid -> Finding.Sighting in
                let holder = log.connections.first { $0.backendPID == pid }?.number
                let last = holder.flatMap { number in log.statements.last { $0.connection == number && $0.sentAt <= statement.sentAt } }
                return Finding.Sighting(connection: holder, statement: last?.number, at: last?.sentAt ?? wait.at,
                                        values: last.map { ["statement": $0.text] } ?? ["server pid": String(pid)])
            }
            return Finding(kind: .blocked, table: "", key: [], committed: nil, reader: wait.connection,
                           before: Finding.Sighting(connection: wait.connection, statement: wait.statement, at: statement.sentAt,
                                                    values: ["statement": statement.text]),
                           after: statement.completedAt.map { Finding.Sighting(connection: wait.connection, statement: wait.statement, at: $0, values: [:]) },
                           holders: holders)
        }
    }

    private func sighting(_ receipt: Receipt, columns: [String]) -> Finding.Sighting {
        let transaction = log.transactions.first { $0.connection == receipt.connection && $0.number == receipt.transaction }
        return Finding.Sighting(connection: receipt.connection, statement: receipt.statement, at: receipt.at,
                                values: receipt.values.filter { columns.contains($0.key) }, isolation: transaction?.isolation)
    }

    private func tableName(_ row: RowID) -> String { row.table }

    private func keyParts(_ row: RowID) -> [Finding.KeyPart] {
        guard let table = tables.first(where: { $0.database == row.database && $0.qualifiedName == row.table }) else { return [] }
        return zip(table.key, row.key).map { Finding.KeyPart(column: table.columns[$0.0] ?? "?", value: $0.1) }
    }

    /// Every received row that carries its table's whole primary key, by row and connection, in time order.
    func rowReceipts() -> [RowID: [Int: [Receipt]]] {
        let databases = Dictionary(uniqueKeysWithValues: log.connections.map { ($0.number, $0.database) })
        var byRow: [RowID: [Int: [Receipt]]] = [:]
        for receipt in log.receipts.sorted(by: { $0.at < $1.at }) {
            let database = databases[receipt.connection] ?? ""
            guard let table = tables.first(where: { $0.oid == receipt.tableOID && $0.database == database }), !table.key.isEmpty else { continue }
            var key: [String] = []
            for column in table.key {
                guard let value = receipt.columns[column], let value else { break }
                key.append(value)
            }
            guard key.count == table.key.count else { continue }
            var values: [String: String?] = [:]
            for (column, value) in receipt.columns where !table.key.contains(column) {
                if let name = table.columns[column] { values[name] = value }
            }
            guard !values.isEmpty else { continue }
            let row = RowID(database: database, table: table.qualifiedName, key: key)
            byRow[row, default: [:]][receipt.connection, default: []].append(
                Receipt(connection: receipt.connection, statement: receipt.statement, transaction: receipt.transaction, at: receipt.at, values: values))
        }
        return byRow
    }

    /// How far apart a commit's timestamp and the relay's sight of its transaction's end may be
    /// (the server's clock against lampctl's, and a loaded machine's delays).
    static let matchWindow = 5.0

    /// Every committed row change of a table the watch knows, in commit order, each matched to
    /// the watched transaction that committed it where one did (the closest committed, writing
    /// transaction of that database whose end the relay saw within `matchWindow` of the commit).
    func committedChanges() -> [Change] {
        let databases = Dictionary(uniqueKeysWithValues: log.connections.map { ($0.number, $0.database) })
        // The committed, writing transactions of each database, by the time the relay saw them end.
        var candidates = Dictionary(grouping: log.transactions.filter { $0.end == .committed && $0.wrote && $0.endedAt != nil }) {
            databases[$0.connection] ?? ""
        }.mapValues { $0.sorted { $0.endedAt! < $1.endedAt! } }
        var lastStatement: [String: Int] = [:]
        for statement in log.statements { lastStatement["\(statement.connection) \(statement.transaction)"] = statement.number }
        var changes: [Change] = []
        for transaction in committed.sorted(by: { ($0.committedAt ?? 0) < ($1.committedAt ?? 0) }) where !transaction.changes.isEmpty {
            let committedAt = transaction.committedAt.map { $0 - log.start }
            var writer: WireLog.Transaction?
            if let committedAt, var list = candidates[transaction.database], !list.isEmpty {
                // Among the ends within the window, the nearest one whose rows written per verb
                // are the commit's (a temporary table's rows are never decoded: then the nearest).
                var counts: [String: Int] = [:]
                for change in transaction.changes { counts[change.kind.rawValue, default: 0] += 1 }
                var low = 0, high = list.count
                while low < high {
                    let middle = (low + high) / 2
                    if list[middle].endedAt! < committedAt - Self.matchWindow { low = middle + 1 } else { high = middle }
                }
                let window = list.indices[low...].prefix { list[$0].endedAt! <= committedAt + Self.matchWindow }
                func distance(_ index: Int) -> Double { abs(list[index].endedAt! - committedAt) }
                let signed = window.filter { list[$0].writes.filter { $0.key != "MERGE" } == counts }.min { distance($0) < distance($1) }
                if let chosen = signed ?? window.filter({ distance($0) < 1.0 }).min(by: { distance($0) < distance($1) }) {
                    writer = list.remove(at: chosen)
                    candidates[transaction.database] = list
                }
            }
            let at = writer?.endedAt ?? committedAt ?? 0
            let statement = writer.flatMap { lastStatement["\($0.connection) \($0.number)"] }
            for change in transaction.changes {
                guard let table = tables.first(where: { $0.database == transaction.database && $0.qualifiedName == change.table }),
                      !table.key.isEmpty else { continue }
                let keyNames = table.key.compactMap { table.columns[$0] }
                let key = keyNames.compactMap { change.columns[$0] ?? nil }
                guard key.count == keyNames.count else { continue }
                let values = change.columns.filter { !keyNames.contains($0.key) }
                changes.append(Change(row: RowID(database: transaction.database, table: change.table, key: key), kind: change.kind,
                                      values: values, at: at, writer: writer?.connection, statement: statement))
            }
        }
        return changes
    }
}

/// The relay's log, copied out once the run is over.
public struct WireLogSnapshot: Sendable {
    public var start: Double
    public var connections: [WireLog.ConnectionInfo]
    public var statements: [WireLog.Statement]
    public var transactions: [WireLog.Transaction]
    public var receipts: [WireLog.RowReceipt]

    public init(start: Double, connections: [WireLog.ConnectionInfo], statements: [WireLog.Statement],
                transactions: [WireLog.Transaction], receipts: [WireLog.RowReceipt]) {
        self.start = start
        self.connections = connections
        self.statements = statements
        self.transactions = transactions
        self.receipts = receipts
    }

    public init(_ log: WireLog) {
        let state = log.state.withLock { $0 }
        self.init(start: log.start, connections: state.connections, statements: state.statements,
                  transactions: state.transactions, receipts: state.receipts)
    }
}

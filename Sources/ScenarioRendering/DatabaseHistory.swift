import LampSession
import ScenarioModel
import Postgres

/// The event log's statements replayed against a small model of the database: each session's
/// transactions (when they began, when their snapshot was taken, how they ended), what each wrote,
/// and what was committed when each statement ran. A case's trace concerns one lamp, so values are
/// kept per column.
struct DatabaseHistory {
    /// One database transaction of one session.
    struct Transaction {
        var session: String
        /// The BEGIN statement (trace index).
        var begin: Int
        /// The isolation level the BEGIN named; `nil` for a plain BEGIN (the server's default).
        var isolation: IsolationLevel?
        /// The first statement after BEGIN: where PostgreSQL takes a repeatable read snapshot.
        var firstStatement: Int?
        /// The COMMIT or ROLLBACK that ended it.
        var end: Int?
        var committed = false
        var writes: [Write] = []

        func contains(_ index: Int) -> Bool { index >= begin && index <= (end ?? Int.max) }
    }

    /// An INSERT or UPDATE and the column values it wrote.
    struct Write {
        var index: Int
        var session: String
        var values: [String: String?]
    }

    /// A SELECT whose row differs from what was committed when it ran.
    struct Divergence {
        var column: String
        var row: String?
        var committed: String?
        /// True when the row shows the reading transaction's own uncommitted write.
        var ownWrite: Bool
    }

    private(set) var transactions: [Transaction] = []
    private(set) var divergences: [Int: [Divergence]] = [:]
    /// Where the write at each trace index is: its transaction's position in `transactions`, and
    /// the write's in that transaction's `writes`.
    private var writers: [Int: (transaction: Int, write: Int)] = [:]
    /// Each session's transactions (positions in `transactions`), in order.
    private var bySession: [String: [Int]] = [:]

    init(_ events: [CaseEvent]) {
        var committed: [String: String?] = [:]
        var open: [String: Int] = [:]
        for (index, event) in events.enumerated() {
            guard case let .session(entry) = event, case let .statement(statement) = entry.kind else { continue }
            let session = entry.session
            if statement.error != nil { continue }
            switch statement.purpose {
            case let .begin(level):
                open[session] = transactions.count
                bySession[session, default: []].append(transactions.count)
                transactions.append(Transaction(session: session, begin: index, isolation: level == .serverDefault ? nil : level))
            case .commit, .rollback:
                guard let position = open.removeValue(forKey: session) else { continue }
                transactions[position].end = index
                transactions[position].committed = statement.purpose == .commit
                if transactions[position].committed {
                    for write in transactions[position].writes { committed.merge(write.values) { $1 } }
                }
            default:
                if let position = open[session], transactions[position].firstStatement == nil {
                    transactions[position].firstStatement = index
                }
                let written = statement.purpose.writtenValues
                if !written.isEmpty {
                    let write = Write(index: index, session: session, values: written)
                    if let position = open[session] {
                        writers[index] = (position, transactions[position].writes.count)
                        transactions[position].writes.append(write)
                    } else {
                        committed.merge(written) { $1 }
                    }
                } else if statement.isRead {
                    let own = open[session].map { transactions[$0].writes } ?? []
                    divergences[index] = Self.divergences(statement, committed: committed, ownWrites: own)
                }
            }
        }
    }

    /// The transaction of `session` open at trace index `index`.
    func transaction(of session: String, at index: Int) -> Transaction? {
        bySession[session]?.lazy.reversed().map { transactions[$0] }.first { $0.contains(index) }
    }

    /// The transaction that wrote at `index`.
    func transaction(writing index: Int) -> Transaction? {
        writers[index].map { transactions[$0.transaction] }
    }

    /// The write at `index`, when a transaction made one there.
    func write(at index: Int) -> Write? {
        writers[index].map { transactions[$0.transaction].writes[$0.write] }
    }

    /// The last transaction of `session` that ended before trace index `index`.
    func transaction(of session: String, endedBefore index: Int) -> Transaction? {
        bySession[session]?.lazy.reversed().map { transactions[$0] }.first { ($0.end ?? Int.max) < index }
    }

    private static func divergences(_ statement: TracedStatement, committed: [String: String?], ownWrites: [Write]) -> [Divergence] {
        guard let result = statement.result, let row = result.rows.first else { return [] }
        var found: [Divergence] = []
        for (column, value) in zip(result.columns, row) {
            guard let committedValue = committed[column], committedValue != value else { continue }
            let own = ownWrites.last { $0.values[column] != nil }?.values[column]
            found.append(Divergence(column: column, row: value, committed: committedValue, ownWrite: own == .some(value)))
        }
        return found
    }
}

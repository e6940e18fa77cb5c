import Synchronization
import WireProtocol

/// Follows one client connection's conversation from both directions and writes what it means
/// into the `WireLog`: each statement (simple or extended protocol, pipelined or not) with its
/// parameters, tags and error; each transaction from start to COMMIT or ROLLBACK; each row
/// received, its values keyed by table OID and column number from the row description. Every
/// frontend message is seen before it is forwarded, so a response always finds its request.
final class ConnectionTracker: Sendable {
    let number: Int
    private let log: WireLog
    private let catalog: TableCatalog?
    private let state = Mutex(State())

    private struct Prepared {
        var text: String
        var parameterTypes: [UInt32] = []
        var fields: [BackendMessage.Field]?
    }

    private struct Portal {
        var statement: String
        var parameters: [String?]
        var resultFormats: [Int16]
        var fields: [BackendMessage.Field]?
    }

    private enum Pending {
        case parse, bind, close, sync
        case describeStatement(String), describePortal(String)
        case execute(portal: String, statement: Int)
        case query(statement: Int)
    }

    private struct State {
        var prepared: [String: Prepared] = [:]
        var portals: [String: Portal] = [:]
        var pending: [Pending] = []
        var statementCount = 0
        /// The connection's transaction (index into the log's transactions), nil when idle.
        var transaction: Int?
        var transactionNumber = 0
        /// A BEGIN was sent whose ReadyForQuery has not come back.
        var beginSent = false
        /// The current transaction's last command tag, and whether one of its statements failed.
        var lastTag = ""
        var failed = false
        /// The fields of the simple query's result being received.
        var queryFields: [BackendMessage.Field]?
        /// The session's default isolation (`SET SESSION CHARACTERISTICS` / `default_transaction_isolation`).
        var defaultIsolation: String?
        var database = ""
    }

    init(number: Int, database: String, log: WireLog, catalog: TableCatalog?) {
        self.number = number
        self.log = log
        self.catalog = catalog
        state.withLock { $0.database = database }
    }

    // MARK: - The client's side

    func frontend(_ message: FrontendMessage) {
        state.withLock { state in
            switch message {
            case let .query(text):
                let index = startStatement(&state, text: text, parameters: [])
                state.pending.append(.query(statement: index))
            case let .parse(name, query, types):
                state.prepared[name] = Prepared(text: query, parameterTypes: types.map { UInt32(bitPattern: $0) })
                state.pending.append(.parse)
            case let .bind(portal, statement, formats, parameters, resultFormats):
                let types = state.prepared[statement]?.parameterTypes ?? []
                let values = parameters.enumerated().map { index, value in
                    value.map { WireValue.text($0, format: wireFormat(formats, at: index), typeOID: index < types.count ? types[index] : 0) }
                }
                state.portals[portal] = Portal(statement: statement, parameters: values, resultFormats: resultFormats)
                state.pending.append(.bind)
            case let .describe(kind, name):
                state.pending.append(kind == UInt8(ascii: "S") ? .describeStatement(name) : .describePortal(name))
            case let .execute(portalName, _):
                let portal = state.portals[portalName]
                let text = portal.flatMap { state.prepared[$0.statement]?.text } ?? ""
                let index = startStatement(&state, text: text, parameters: portal?.parameters ?? [])
                state.pending.append(.execute(portal: portalName, statement: index))
            case .close: state.pending.append(.close)
            case .sync: state.pending.append(.sync)
            case .flush, .terminate, .other: break
            }
        }
    }

    /// Records a statement as sent and puts it in a transaction; returns its index in the log.
    private func startStatement(_ state: inout State, text: String, parameters: [String?]) -> Int {
        state.statementCount += 1
        let now = log.elapsed()
        let keyword = Self.firstKeyword(text)
        let opensTransaction = keyword == "BEGIN" || keyword == "START"
        // Only transaction control and SET can name a level: the others are not read at all.
        let isolation = opensTransaction || keyword == "SET" ? Self.isolation(in: text) : nil
        if keyword == "SET" {
            let upper = text.uppercased()
            if let isolation, upper.contains("SESSION") || upper.contains("DEFAULT_TRANSACTION_ISOLATION") {
                state.defaultIsolation = isolation
            } else if upper.contains("DEFAULT_TRANSACTION_ISOLATION") && upper.contains("DEFAULT") {
                state.defaultIsolation = nil
            }
        }
        let number = self.number
        return log.update { log in
            if state.transaction == nil {
                state.transactionNumber += 1
                log.transactions.append(WireLog.Transaction(connection: number, number: state.transactionNumber, firstSentAt: now,
                                                            isolation: state.defaultIsolation, implicit: !opensTransaction))
                state.transaction = log.transactions.count - 1
            }
            if let transaction = state.transaction {
                if opensTransaction {
                    log.transactions[transaction].implicit = false
                    if let isolation { log.transactions[transaction].isolation = isolation }
                } else if keyword == "SET", text.uppercased().contains("TRANSACTION ISOLATION"), !text.uppercased().contains("SESSION"), let isolation {
                    log.transactions[transaction].isolation = isolation
                }
            }
            if opensTransaction { state.beginSent = true }
            log.statements.append(WireLog.Statement(connection: number, number: state.statementCount, text: text, parameters: parameters,
                                                    sentAt: now, transaction: state.transactionNumber))
            log.outstanding.insert(log.statements.count - 1)
            return log.statements.count - 1
        }
    }

    // MARK: - The server's side

    func backend(_ message: BackendMessage) {
        // A table created in a transaction that just ended can be looked up now.
        if case .readyForQuery(UInt8(ascii: "I")) = message { catalog?.retryPending() }
        // A table seen for the first time is looked up before the lock is taken (a round trip).
        if case let .rowDescription(fields) = message, let catalog {
            let database = state.withLock { $0.database }
            for oid in Set(fields.map(\.tableOID)) where oid != 0 { catalog.learn(oid, database: database) }
        }
        state.withLock { state in
            switch message {
            case .parseComplete, .bindComplete, .closeComplete:
                popFirst(&state)
            case let .parameterDescription(types):
                if case let .describeStatement(name)? = state.pending.first { state.prepared[name]?.parameterTypes = types }
            case let .rowDescription(fields):
                switch state.pending.first {
                case let .describeStatement(name)?:
                    state.prepared[name]?.fields = fields
                    popFirst(&state)
                case let .describePortal(name)?:
                    state.portals[name]?.fields = fields
                    popFirst(&state)
                default:
                    state.queryFields = fields
                }
            case .noData:
                popFirst(&state)
            case let .dataRow(values):
                receive(&state, values: values)
            case let .commandComplete(tag):
                complete(&state, tag: tag, error: nil)
            case .emptyQuery:
                complete(&state, tag: nil, error: nil)
            case .portalSuspended:
                popFirst(&state)
            case let .error(fields):
                let text = "\(fields[UInt8(ascii: "C")] ?? "?????"): \(fields[UInt8(ascii: "M")] ?? "")"
                complete(&state, tag: nil, error: text)
                // The extended protocol skips everything up to the Sync.
                while let first = state.pending.first {
                    if case .sync = first { break }
                    if case .query = first { break }
                    state.pending.removeFirst()
                }
            case let .readyForQuery(status):
                while let first = state.pending.first {
                    state.pending.removeFirst()
                    if case .sync = first { break }
                    if case .query = first { break }
                }
                state.queryFields = nil
                ready(&state, status: status)
            case let .backendKeyData(pid, _):
                let number = self.number
                log.update { $0.connections[number - 1].backendPID = pid }
            case .authentication, .parameterStatus, .other:
                break
            }
        }
    }

    private func popFirst(_ state: inout State) {
        if !state.pending.isEmpty { state.pending.removeFirst() }
    }

    private func receive(_ state: inout State, values: [[UInt8]?]) {
        let fields: [BackendMessage.Field]?
        let statement: Int?
        switch state.pending.first {
        case let .execute(portalName, index)?:
            statement = index
            let portal = state.portals[portalName]
            if let own = portal?.fields {
                fields = own
            } else if let portal, let described = state.prepared[portal.statement]?.fields {
                fields = described.enumerated().map { position, field in
                    var field = field
                    field.format = wireFormat(portal.resultFormats, at: position)
                    return field
                }
            } else {
                fields = nil
            }
        case let .query(index)?:
            statement = index
            fields = state.queryFields
        default:
            return
        }
        guard let fields, let statement, fields.count == values.count else { return }
        var byTable: [UInt32: [Int16: String?]] = [:]
        for (field, value) in zip(fields, values) where field.tableOID != 0 && field.column > 0 {
            byTable[field.tableOID, default: [:]][field.column] = value.map { WireValue.text($0, format: field.format, typeOID: field.typeOID) }
        }
        guard !byTable.isEmpty else { return }
        let now = log.elapsed()
        let number = self.number
        log.update { log in
            let record = log.statements[statement]
            for (table, columns) in byTable {
                log.receipts.append(WireLog.RowReceipt(connection: number, statement: record.number, transaction: record.transaction,
                                                       at: now, tableOID: table, columns: columns))
            }
        }
    }

    private func complete(_ state: inout State, tag: String?, error: String?) {
        let index: Int?
        switch state.pending.first {
        case let .execute(_, statement)?:
            index = statement
            if error == nil { state.pending.removeFirst() }
        case let .query(statement)?:
            index = statement
            state.queryFields = nil
        default:
            index = nil
        }
        guard let index else { return }
        let now = log.elapsed()
        let transaction = state.transaction
        if let tag { state.lastTag = tag }
        if error != nil { state.failed = true }
        log.update { log in
            if let tag { log.statements[index].tags.append(tag) }
            if let error { log.statements[index].error = error }
            log.statements[index].completedAt = now
            log.outstanding.remove(index)
            if let tag, let transaction, Self.writes(tag) {
                log.transactions[transaction].wrote = true
                let parts = tag.split(separator: " ")
                log.transactions[transaction].writes[String(parts[0]), default: 0] += Int(parts.last ?? "") ?? 0
            }
        }
    }

    private func ready(_ state: inout State, status: UInt8) {
        state.beginSent = false
        guard status == UInt8(ascii: "I"), let transaction = state.transaction else { return }
        state.transaction = nil
        let now = log.elapsed()
        let (lastTag, failed) = (state.lastTag, state.failed)
        state.lastTag = ""
        state.failed = false
        log.update { log in
            let end: WireLog.Transaction.End
            if log.transactions[transaction].implicit {
                end = failed ? .rolledBack : .committed
            } else {
                end = lastTag == "COMMIT" ? .committed : .rolledBack
            }
            log.transactions[transaction].end = end
            log.transactions[transaction].endedAt = now
        }
    }

    /// Marks the connection closed; an open transaction stays `open`.
    func closed() {
        let number = self.number
        let now = log.elapsed()
        log.update { $0.connections[number - 1].closedAt = now }
    }

    // MARK: - Statement text (only for transaction control and isolation, never for rows)

    static func firstKeyword(_ text: String) -> String {
        var keyword = ""
        for scalar in text.unicodeScalars.drop(while: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "(" }) {
            guard keyword.count < 8, ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) else { break }
            keyword.unicodeScalars.append(scalar)
        }
        return keyword.uppercased()
    }

    /// The level an `ISOLATION LEVEL ...` clause or a `default_transaction_isolation` setting names.
    static func isolation(in text: String) -> String? {
        let upper = text.uppercased().split(whereSeparator: { $0.isWhitespace || $0 == "'" || $0 == "=" || $0 == ";" }).joined(separator: " ")
        for level in ["READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE", "READ UNCOMMITTED"] where upper.contains(level) {
            return level.lowercased()
        }
        return nil
    }

    static func writes(_ tag: String) -> Bool {
        let parts = tag.split(separator: " ")
        guard let verb = parts.first, let count = parts.last.flatMap({ Int($0) }), count > 0 else { return false }
        // COPY's tag does not say its direction: only the verbs that always write.
        return ["INSERT", "UPDATE", "DELETE", "MERGE"].contains(String(verb))
    }
}

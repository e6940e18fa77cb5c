import CLibpq

/// One libpq connection. Not Sendable: one owner uses it, from one thread at a time.
///
/// Every statement goes through `PQsendQueryParams` (or, once prepared, `PQsendQueryPrepared`)
/// in text format, waited for as `PQexecParams` would (see `Exchange`); values are never
/// spliced into SQL.
public final class Connection {
    private var handle: OpaquePointer?
    /// Prepares a statement text on its second use and executes it by name from then on (see
    /// `PreparedStatements`). Off by default: a connection that runs few statements once each
    /// would only pay the extra round trip.
    public var preparesRepeatedStatements = false
    private var preparedStatements = PreparedStatements()
    /// The connection string this connection was opened with (its description is redacted).
    public let connectionString: ConnectionString
    /// What this connection has sent so far.
    public private(set) var counts = ConnectionCounts()
    /// Which server this connection is on (`primary`, `standby`), for traces; set by its owner
    /// when a run has more than one server, nil otherwise.
    public var server: String?

    /// Opens a connection; `connectTimeout` (seconds) applies unless the string sets its own.
    /// While the server is full or starting up, waits as `BusyServerWait.current` says (unless
    /// `waitsWhenBusy` is false: then such a refusal fails at once, with its SQLSTATE).
    /// `onSlowConnect` is called once, from another thread, if connecting takes over a second,
    /// with a line saying what it waits for.
    public init(_ connectionString: ConnectionString, connectTimeout: Int = 5,
                applicationName: String = "lampctl", waitsWhenBusy: Bool = true,
                onSlowConnect: (@Sendable (String) -> Void)? = nil) throws {
        self.connectionString = connectionString
        let keywords = ["connect_timeout", "fallback_application_name", "dbname"]
        let values = [String(connectTimeout), applicationName, connectionString.raw]
        func failure(_ handle: OpaquePointer) -> PostgresError {
            let message = String(cString: PQerrorMessage(handle)).trimmedLines
            // What libpq really used, after the environment and its defaults.
            let host = PQhost(handle).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? connectionString.host
            let database = PQdb(handle).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? connectionString.database
            return PostgresError(
                kind: .connectionFailed, sqlState: SQLState.ofConnectionFailure(message),
                message: connectionString.scrub("cannot connect to host \(host) database \(database): " + message))
        }
        // One notice per attempt that takes over a second (a server that does not answer), said
        // at most once; the quick refusals of a full server are BusyServerWait's to report.
        func slowNotice() -> SlowConnectNotice? {
            onSlowConnect.map { report in
                SlowConnectNotice(after: 1.0) {
                    let timeout = connectionString.options["connect_timeout"] ?? String(connectTimeout)
                    report("waiting for the server at host \(connectionString.host) database \(connectionString.database) to answer (connect_timeout \(timeout) s)")
                }
            }
        }
        var announced = false
        var waiting = BusyServerWait.Waiting(enabled: waitsWhenBusy)
        var handle: OpaquePointer?
        while true {
            let notice = announced ? nil : slowNotice()
            handle = withCStringArray(keywords) { keywordPointers in
                withCStringArray(values) { valuePointers in
                    PQconnectdbParams(keywordPointers, valuePointers, 1)
                }
            }
            if notice?.cancel() == true { announced = true }
            guard let refused = handle, PQstatus(refused) != CONNECTION_OK, waiting.pause(after: failure(refused)) else { break }
            PQfinish(refused)
        }
        guard let handle else {
            throw PostgresError(kind: .connectionFailed, message: "out of memory while connecting")
        }
        if PQstatus(handle) != CONNECTION_OK {
            let error = failure(handle)
            PQfinish(handle)
            throw error
        }
        // Server notices (e.g. "drop cascades to ...") are not for lampctl's users: drop them.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        self.handle = handle
        counts.connectionsOpened = 1
    }

    /// Convenience: parse and open.
    public convenience init(_ raw: String, connectTimeout: Int = 5) throws {
        try self.init(ConnectionString(raw), connectTimeout: connectTimeout)
    }

    deinit { close() }

    /// Closes the connection (`PQfinish`). Safe to call twice.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    public var isClosed: Bool { handle == nil }

    /// The libpq handle, for `endpoint`.
    var endpointHandle: OpaquePointer? { handle }

    /// The server process id serving this connection.
    public var backendPID: Int32 { handle.map { PQbackendPID($0) } ?? 0 }

    /// libpq's view of the transaction state.
    public var transactionStatus: TransactionStatus {
        guard let handle else { return .unknown }
        return TransactionStatus(PQtransactionStatus(handle))
    }

    /// Called while a statement waits for its answer (after 10 ms, then every up to 100 ms); an
    /// error it throws cancels the statement and is what `execute` throws (e.g. a step found
    /// blocked by a lock another session holds).
    public var whileWaiting: (() throws -> Void)?

    /// Runs one statement with text parameters (`$1`, `$2`, ...; `nil` is SQL NULL).
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws -> QueryResult {
        guard let handle else {
            throw PostgresError(kind: .statementFailed, message: "connection is closed", sql: sql)
        }
        let name = preparesRepeatedStatements ? try preparedName(sql, parameterCount: parameters.count, handle) : nil
        counts.statementsSent += 1
        let result = try withOptionalCStringArray(parameters) { values in
            try Exchange.run(handle, whileWaiting: whileWaiting) {
                if let name {
                    PQsendQueryPrepared(handle, name, Int32(parameters.count), values, nil, nil, 0)
                } else {
                    PQsendQueryParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
                }
            }
        }
        guard let result else {
            throw PostgresError(kind: .statementFailed,
                                message: String(cString: PQerrorMessage(handle)).trimmedLines, sql: sql)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return Self.copy(result)
        default:
            throw Self.error(from: result, connection: handle, sql: sql)
        }
    }

    /// The server-side name to execute `sql` by, preparing it now if this is its second use;
    /// nil to send the text. Only prepares outside a failed transaction (where the execution
    /// would fail anyway); a failed prepare throws what the execution would have.
    private func preparedName(_ sql: String, parameterCount: Int, _ handle: OpaquePointer) throws -> String? {
        switch preparedStatements.decide(sql) {
        case let .execute(name): return name
        case .send: return nil
        case let .prepare(name):
            guard PQtransactionStatus(handle) == PQTRANS_IDLE || PQtransactionStatus(handle) == PQTRANS_INTRANS else {
                return nil
            }
            counts.statementsPrepared += 1
            guard let result = PQprepare(handle, name, sql, Int32(parameterCount), nil) else {
                throw PostgresError(kind: .statementFailed,
                                    message: String(cString: PQerrorMessage(handle)).trimmedLines, sql: sql)
            }
            defer { PQclear(result) }
            guard PQresultStatus(result) == PGRES_COMMAND_OK else {
                throw Self.error(from: result, connection: handle, sql: sql)
            }
            preparedStatements.prepared(sql, as: name)
            return name
        }
    }

    /// Quotes an identifier (schema, table) with `PQescapeIdentifier`.
    public func escapeIdentifier(_ identifier: String) throws -> String {
        guard let handle else {
            throw PostgresError(kind: .statementFailed, message: "connection is closed")
        }
        let bytes = Array(identifier.utf8)
        guard let escaped = PQescapeIdentifier(handle, identifier, bytes.count) else {
            throw PostgresError(kind: .statementFailed,
                                message: String(cString: PQerrorMessage(handle)).trimmedLines)
        }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }

    private static func copy(_ result: OpaquePointer) -> QueryResult {
        let columnCount = PQnfields(result)
        let rowCount = PQntuples(result)
        var columns: [String] = []
        columns.reserveCapacity(Int(columnCount))
        for column in 0..<columnCount {
            columns.append(String(cString: PQfname(result, column)))
        }
        var rows: [[String?]] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                values.append(PQgetisnull(result, row, column) == 1
                    ? nil : String(cString: PQgetvalue(result, row, column)))
            }
            rows.append(values)
        }
        return QueryResult(columns: columns, rows: rows, commandTag: String(cString: PQcmdStatus(result)))
    }

    private static func error(from result: OpaquePointer, connection: OpaquePointer, sql: String) -> PostgresError {
        func field(_ code: Int32) -> String? {
            PQresultErrorField(result, code).map { String(cString: $0) }
        }
        let message = field(LAMPCTL_PG_DIAG_MESSAGE_PRIMARY)
            ?? String(cString: PQerrorMessage(connection)).trimmedLines
        return PostgresError(
            kind: .statementFailed,
            sqlState: field(LAMPCTL_PG_DIAG_SQLSTATE).map(SQLState.init(rawValue:)),
            message: message.isEmpty ? "the connection to the server was lost" : message,
            detail: field(LAMPCTL_PG_DIAG_MESSAGE_DETAIL),
            hint: field(LAMPCTL_PG_DIAG_MESSAGE_HINT),
            sql: sql)
    }
}

/// Calls `body` with a NULL-terminated array of C strings that live for the call.
func withCStringArray<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    withOptionalCStringArray(strings.map { Optional($0) }) { pointers in
        body(pointers + [nil])
    }
}

/// Calls `body` with C strings for each element (`nil` stays `nil`), valid for the call.
func withOptionalCStringArray<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) throws -> R) rethrows -> R {
    let buffers: [UnsafeMutablePointer<CChar>?] = strings.map { string in
        guard let string else { return nil }
        let utf8 = Array(string.utf8CString)
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        buffer.initialize(from: utf8, count: utf8.count)
        return buffer
    }
    defer { buffers.forEach { $0?.deallocate() } }
    return try body(buffers.map { $0.map { UnsafePointer($0) } })
}

/// The linked libpq's version, e.g. `15.18` (from `PQlibVersion`).
public var libpqVersion: String {
    let version = PQlibVersion()
    return version >= 100_000 ? "\(version / 10_000).\(version % 10_000)" : "\(version / 10_000).\(version / 100 % 100).\(version % 100)"
}

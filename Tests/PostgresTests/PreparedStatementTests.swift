import Postgres
import TestSupport
import Testing

/// A connection that prepares repeated statements gives the same results and errors as one that
/// sends the text every time, and prepares each text once, on its second use.
@Suite("Prepared statements", .bounded)
struct PreparedStatementTests {
    func preparing() throws -> Connection {
        let connection = try TestDatabase.connect()
        connection.preparesRepeatedStatements = true
        return connection
    }

    func preparedCount(_ connection: Connection) throws -> Int {
        // Sent once per call with a different comment, so this query itself is never prepared.
        let sql = "SELECT count(*) FROM pg_prepared_statements -- \(Int.random(in: 0...Int.max))"
        let value = try connection.execute(sql).rows.first?.first ?? nil
        return value.flatMap { Int($0) } ?? -1
    }

    @Test("The same results, prepared on the second use only")
    func sameResults() throws {
        let connection = try preparing()
        defer { connection.close() }
        let sql = "SELECT $1::int + 1 AS next, $2::text AS label"
        var results: [[String?]] = []
        for value in 1...4 {
            results.append(try #require(connection.execute(sql, [String(value), nil]).rows.first))
            #expect(try preparedCount(connection) == (value == 1 ? 0 : 1))
        }
        #expect(results == (1...4).map { [String($0 + 1), nil] })
        let before = connection.counts
        _ = try connection.execute(sql, ["9", "x"])
        let spent = connection.counts - before
        #expect(spent.statementsSent == 1 && spent.statementsPrepared == 0)
    }

    @Test("An error is the same whether the statement is sent, prepared or executed by name")
    func sameErrors() throws {
        let connection = try preparing()
        defer { connection.close() }
        let sql = "SELECT 1 / $1::int"
        for _ in 0..<3 {
            let error = #expect(throws: PostgresError.self) { try connection.execute(sql, ["0"]) }
            #expect(error?.message == "division by zero")
            #expect(error?.sql == sql)
        }
        let missing = "SELECT * FROM no_such_table_for_prepared_tests"
        for _ in 0..<3 {
            let error = #expect(throws: PostgresError.self) { try connection.execute(missing) }
            #expect(error?.message == #"relation "no_such_table_for_prepared_tests" does not exist"#)
        }
    }

    @Test("Nothing is prepared inside a failed transaction; ROLLBACK still ends it")
    func failedTransaction() throws {
        let connection = try preparing()
        defer { connection.close() }
        try connection.execute("BEGIN")
        _ = try? connection.execute("SELECT 1 / 0")
        _ = try? connection.execute("SELECT 1 / 0")
        #expect(connection.transactionStatus == .failed)
        try connection.execute("ROLLBACK")
        try connection.execute("BEGIN")
        try connection.execute("ROLLBACK")
        #expect(connection.transactionStatus == .idle)
        #expect(try preparedCount(connection) == 2)  // BEGIN and ROLLBACK, prepared while not failed
    }
}

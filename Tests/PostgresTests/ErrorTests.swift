import Postgres
import TestSupport
import Testing

/// What a server error carries: the SQLSTATE, the primary message, the detail, the statement.
@Suite("Server errors", .bounded)
struct ErrorTests {
    @Test("A syntax error reports SQLSTATE 42601 with the server's message and the SQL")
    func syntaxError() throws {
        let connection = try TestDatabase.connect()
        defer { connection.close() }

        let error = try #require(throws: PostgresError.self) {
            try connection.execute("SELEC 1")
        }
        #expect(error.kind == .statementFailed)
        #expect(error.sqlState == .syntaxError)
        #expect(error.sqlState?.rawValue == "42601")
        #expect(error.message.contains("syntax error at or near \"SELEC\""))
        #expect(error.sql == "SELEC 1")
        #expect(error.description.contains("SQLSTATE 42601"))
        #expect(!error.isConnectionLoss)
    }

    @Test("A unique violation reports SQLSTATE 23505 with the constraint in the message and the key in the detail")
    func uniqueViolation() throws {
        let schema = try TestDatabase.makeSchema()
        defer { TestDatabase.dropSchema(schema) }
        let connection = try TestDatabase.connect(schema: schema)
        defer { connection.close() }

        try connection.execute("INSERT INTO lamps (id, status) VALUES ($1, $2)", ["7", "off"])
        let error = try #require(throws: PostgresError.self) {
            try connection.execute("INSERT INTO lamps (id, status) VALUES ($1, $2)", ["7", "secret-value"])
        }
        #expect(error.kind == .statementFailed)
        #expect(error.sqlState == .uniqueViolation)
        #expect(error.message == "duplicate key value violates unique constraint \"lamps_pkey\"")
        #expect(error.detail == "Key (id)=(7) already exists.")
        #expect(error.sql == "INSERT INTO lamps (id, status) VALUES ($1, $2)")
        // Parameters are never kept in the error.
        #expect(!String(describing: error).contains("secret-value"))
    }

    @Test("A hint from the server is kept")
    func hint() throws {
        let connection = try TestDatabase.connect()
        defer { connection.close() }

        let error = try #require(throws: PostgresError.self) {
            try connection.execute("SELECT no_such_function_lampctl(1)")
        }
        #expect(error.sqlState?.rawValue == "42883")
        #expect(error.hint?.contains("No function matches") == true)
    }

    @Test("The connection stays usable after a statement error outside a transaction")
    func usableAfterError() throws {
        let connection = try TestDatabase.connect()
        defer { connection.close() }

        #expect(throws: PostgresError.self) { try connection.execute("SELEC 1") }
        #expect(connection.transactionStatus == .idle)
        #expect(try connection.execute("SELECT 1").rows == [["1"]])
    }
}

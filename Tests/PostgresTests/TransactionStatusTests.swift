import Postgres
import TestSupport
import Testing

/// libpq's transaction status as the connection reports it.
@Suite("Transaction status", .bounded)
struct TransactionStatusTests {
    @Test("idle, then in transaction after BEGIN, failed after an error, idle after ROLLBACK")
    func lifecycle() throws {
        let connection = try TestDatabase.connect()
        defer { connection.close() }

        #expect(connection.transactionStatus == .idle)
        #expect(!connection.transactionStatus.isInTransaction)

        try connection.execute("BEGIN")
        #expect(connection.transactionStatus == .inTransaction)
        try connection.execute("SELECT 1")
        #expect(connection.transactionStatus == .inTransaction)
        #expect(connection.transactionStatus.isInTransaction)

        #expect(throws: PostgresError.self) { try connection.execute("SELEC 1") }
        #expect(connection.transactionStatus == .failed)
        #expect(connection.transactionStatus.isInTransaction)

        // Everything but ROLLBACK is refused in a failed transaction (25P02).
        let refused = try #require(throws: PostgresError.self) { try connection.execute("SELECT 1") }
        #expect(refused.sqlState?.rawValue == "25P02")
        #expect(connection.transactionStatus == .failed)

        try connection.execute("ROLLBACK")
        #expect(connection.transactionStatus == .idle)
    }

    @Test("COMMIT returns to idle")
    func commitReturnsToIdle() throws {
        let connection = try TestDatabase.connect()
        defer { connection.close() }

        try connection.execute("BEGIN")
        #expect(connection.transactionStatus == .inTransaction)
        try connection.execute("COMMIT")
        #expect(connection.transactionStatus == .idle)
    }

    @Test("A closed connection reports unknown and refuses statements")
    func closed() throws {
        let connection = try TestDatabase.connect()
        connection.close()
        #expect(connection.isClosed)
        #expect(connection.transactionStatus == .unknown)
        let error = try #require(throws: PostgresError.self) { try connection.execute("SELECT 1") }
        #expect(error.kind == .statementFailed)
        connection.close()  // twice is fine
    }
}

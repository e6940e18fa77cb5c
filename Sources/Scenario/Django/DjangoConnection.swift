import LampSession
import Postgres

/// One Django database connection (psycopg2), as `django.db.backends.postgresql` drives it:
/// autocommit by default; `transaction.atomic()` turns autocommit off at its outermost block (psycopg2
/// then sends `BEGIN` before the next statement) and makes a savepoint for each nested block. Every
/// statement is traced under the label of the session that sent it.
///
/// The block logic follows `django.db.transaction.Atomic.__enter__`/`__exit__` (Django 5.2).
final class DjangoConnection {
    let connection: Connection
    /// The session whose statements these are (the test's, or the view's).
    var label: String
    let trace: Trace
    /// `OPTIONS["isolation_level"]` (server default: not set, plain BEGIN).
    let isolation: IsolationLevel

    /// psycopg2's `autocommit`.
    private(set) var autocommit = true
    /// Django's `in_atomic_block`.
    private(set) var inAtomicBlock = false
    /// Django's `savepoint_ids`: one per nested block (nil: a block that made none).
    private var savepointIDs: [String?] = []
    private var commitOnExit = true
    /// Django's `needs_rollback`: set when a block without a savepoint was left by an exception.
    private var needsRollback = false
    /// Django's `savepoint_state`: savepoints made on this connection so far.
    private var savepointCount = 0

    init(connection: Connection, label: String, trace: Trace, isolation: IsolationLevel) {
        self.connection = connection
        self.label = label
        self.trace = trace
        self.isolation = isolation
    }

    /// How many atomic blocks are open (TestCase's included).
    private(set) var depth = 0

    /// True while a database transaction is open on the connection.
    var inTransaction: Bool { connection.transactionStatus.isInTransaction }

    /// Sends one statement, after psycopg2's `BEGIN` when autocommit is off and no transaction is open.
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?] = [], purpose: StatementPurpose = .plain) throws -> QueryResult {
        if !autocommit, connection.transactionStatus == .idle {
            try send(isolation.beginSQL, [], purpose: .begin(isolation))
        }
        return try send(sql, parameters, purpose: purpose)
    }

    @discardableResult
    private func send(_ sql: String, _ parameters: [String?], purpose: StatementPurpose) throws -> QueryResult {
        try trace.execute(sql, parameters, purpose: purpose, session: label, on: connection)
    }

    /// Enters `transaction.atomic()`.
    func enterAtomic() throws {
        if !inAtomicBlock {
            commitOnExit = true
            needsRollback = false
            if !autocommit {
                inAtomicBlock = true
                commitOnExit = false
            }
        }
        if inAtomicBlock {
            if !needsRollback {
                savepointCount += 1
                // Django names it s<thread id>_x<n>; lampctl's thread is always "1".
                let id = "s1_x\(savepointCount)"
                try execute("SAVEPOINT \"\(id)\"", purpose: .savepoint(id))
                savepointIDs.append(id)
            } else {
                savepointIDs.append(nil)
            }
        } else {
            // psycopg2 turning autocommit off on a connection with an isolation level set (measured:
            // docs/measurements/django.md); the level itself goes with its BEGIN.
            if isolation != .serverDefault { try send("SET default_transaction_isolation TO DEFAULT", [], purpose: .plain) }
            autocommit = false
            inAtomicBlock = true
        }
        depth += 1
    }

    /// Leaves the innermost atomic block: normally, or by an exception raised inside it
    /// (`failed`). A statement that fails here ends the case, as it would end the test.
    func exitAtomic(failed: Bool) throws {
        guard depth > 0 else { return }
        depth -= 1
        var id: String?
        if let last = savepointIDs.popLast() { id = last } else { inAtomicBlock = false }
        defer {
            if !inAtomicBlock {
                autocommit = true
            } else if savepointIDs.isEmpty && !commitOnExit {
                inAtomicBlock = false
            }
        }
        if !failed && !needsRollback {
            if inAtomicBlock {
                if let id { try execute("RELEASE SAVEPOINT \"\(id)\"", purpose: .releaseSavepoint(id)) }
            } else if inTransaction {
                try send("COMMIT", [], purpose: .commit)
            }
        } else {
            needsRollback = false
            if inAtomicBlock {
                if let id {
                    try execute("ROLLBACK TO SAVEPOINT \"\(id)\"", purpose: .rollbackToSavepoint(id))
                    try execute("RELEASE SAVEPOINT \"\(id)\"", purpose: .releaseSavepoint(id))
                } else {
                    needsRollback = true
                }
            } else if connection.transactionStatus != .idle {
                try send("ROLLBACK", [], purpose: .rollback)
            }
        }
    }

    /// `transaction.set_rollback(True)` then leaving every open block: how TestCase ends a test.
    func rollBackAllBlocks() throws {
        while depth > 0 {
            needsRollback = true
            try exitAtomic(failed: false)
        }
    }

    /// Leaves every open block by an exception (the test ended inside them), innermost first.
    func abortAllBlocks() throws {
        while depth > 0 { try exitAtomic(failed: true) }
    }
}

import TestSupport
import Testing
@testable import Watch

/// The analysis on hand-made logs: each finding arises from exactly its pattern of receipts and
/// commits, and nothing is reported where nothing went stale.
@Suite(.bounded) struct FindingAnalysisTests {
    static let table = TableCatalog.Table(oid: 10, database: "db", qualifiedName: "public.lamps", name: "lamps",
                                          columns: [1: "id", 2: "status"], key: [1])

    /// C1 is the test, C2 the app; the app's transaction 1 commits the update at 2.0 s.
    struct Story {
        var transactions: [WireLog.Transaction] = [
            .init(connection: 2, number: 1, firstSentAt: 1.5, end: .committed, endedAt: 2.0, isolation: nil, wrote: true, writes: ["UPDATE": 1], implicit: false),
        ]
        var receipts: [WireLog.RowReceipt] = []
        var committed: [DecodedTransaction] = [
            DecodedTransaction(xid: "1", committedAt: 100.5, changes: [.init(table: "public.lamps", kind: .insert, columns: ["id": "1", "status": "off"])], database: "db"),
            DecodedTransaction(xid: "2", committedAt: 101.99, changes: [.init(table: "public.lamps", kind: .update, columns: ["id": "1", "status": "on"])], database: "db"),
        ]

        mutating func test(receives status: String?, at time: Double, transaction: Int = 1, statement: Int = 1, columns: [Int16: String?]? = nil) {
            receipts.append(.init(connection: 1, statement: statement, transaction: transaction, at: time, tableOID: 10,
                                  columns: columns ?? [1: "1", 2: status]))
        }

        func findings() -> [Finding] {
            let connections = [1, 2].map { WireLog.ConnectionInfo(number: $0, user: "u", database: "db", applicationName: $0 == 1 ? "test" : "app",
                                                                   backendPID: 0, openedAt: 0, closedAt: nil) }
            var transactions = self.transactions
            for number in Set(receipts.map(\.transaction)) where !transactions.contains(where: { $0.connection == 1 && $0.number == number }) {
                transactions.append(.init(connection: 1, number: number, firstSentAt: 0, end: .committed, endedAt: 9, isolation: nil, wrote: false, implicit: false))
            }
            let log = WireLogSnapshot(start: 100, connections: connections, statements: [], transactions: transactions, receipts: receipts)
            return FindingAnalysis(log: log, tables: [FindingAnalysisTests.table], committed: committed).findings()
        }
    }

    @Test func keptWithoutReadingAgainIsNothingNewer() throws {
        var story = Story()
        story.test(receives: "off", at: 1.0)
        let finding = try #require(story.findings().first)
        #expect(story.findings().count == 1)
        #expect(finding.kind == .nothingNewer)
        #expect(finding.key == [.init(column: "id", value: "1")])
        #expect(finding.committed?.connection == 2, "matched to the app's commit by time")
        #expect(finding.committed?.values == ["status": "on"])
        #expect(finding.before.values == ["status": "off"])
    }

    @Test func reReadAfterTheCommitIsFreshOrOld() {
        var fresh = Story()
        fresh.test(receives: "off", at: 1.0)
        fresh.test(receives: "on", at: 3.0, statement: 2)
        #expect(fresh.findings().map(\.kind) == [.reReadFresh])
        var old = Story()
        old.test(receives: "off", at: 1.0)
        old.test(receives: "off", at: 3.0, statement: 2)
        #expect(old.findings().map(\.kind) == [.oldSnapshot])
    }

    @Test func nothingToReportWhenTheValueWasNeverHeldOrOnlyTheKeyWasReceived() {
        var keyOnly = Story()
        keyOnly.test(receives: nil, at: 1.0, columns: [1: "1"])
        #expect(keyOnly.findings().isEmpty)
        var afterwards = Story()
        afterwards.test(receives: "on", at: 3.0)
        #expect(afterwards.findings().isEmpty)
        var writer = Story()
        writer.receipts.append(.init(connection: 2, statement: 1, transaction: 1, at: 1.6, tableOID: 10, columns: [1: "1", 2: "off"]))
        #expect(writer.findings().isEmpty, "the committing connection's own earlier read is no finding")
    }

    @Test func aValueReadInsideAWritingTransactionThatRolledBackWasNeverCommitted() throws {
        var story = Story()
        story.committed.removeLast()
        story.transactions = [.init(connection: 1, number: 2, firstSentAt: 2, end: .rolledBack, endedAt: 4, isolation: nil, wrote: true, writes: ["UPDATE": 1], implicit: false)]
        story.test(receives: "on", at: 3.0, transaction: 2)
        let finding = try #require(story.findings().first)
        #expect(story.findings().count == 1)
        #expect(finding.kind == .neverCommitted)
        #expect(finding.before.values == ["status": "on"])
        #expect(finding.committed == nil)
    }
}

import TestSupport
import Testing
@testable import Watch

/// test_decoding's lines, as lampctl watch parses them.
@Suite(.bounded) struct DecodedTransactionTests {
    @Test func changesWithQuotedValuesNullsAndTheCommitTime() throws {
        let lines = [
            "BEGIN 729",
            "table public.suite_lamps: INSERT: id[integer]:1 status[text]:'off' note[text]:null",
            "table public.suite_lamps: UPDATE: id[integer]:1 status[text]:'it''s on' note[text]:'a b'",
            "table \"My Schema\".\"Lamps\": DELETE: id[integer]:2",
            "COMMIT 729 (at 2026-12-06 16:55:00.250000+00)",
            "BEGIN 730",
        ]
        let transactions = DecodedTransaction.parse(lines, database: "db")
        #expect(transactions.count == 1, "an unfinished transaction is not committed")
        let transaction = try #require(transactions.first)
        #expect(transaction.xid == "729")
        #expect(transaction.committedAt == 1_796_576_100.25)
        #expect(transaction.changes.map(\.kind) == [.insert, .update, .delete])
        #expect(transaction.changes[0].columns == ["id": "1", "status": "off", "note": String?.none])
        #expect(transaction.changes[1].columns == ["id": "1", "status": "it's on", "note": "a b"])
        #expect(transaction.changes[2].table == "\"My Schema\".\"Lamps\"")
    }

    @Test func theOldKeyOfAnUpdateIsSkippedAndAnOffsetApplied() throws {
        let change = try #require(DecodedTransaction.change("table public.t: UPDATE: old-key: id[integer]:1 new-tuple: id[integer]:5 s[text]:'x'"))
        #expect(change.columns == ["id": "5", "s": "x"])
        #expect(DecodedTransaction.timestamp("2026-12-06 18:55:00+02") == DecodedTransaction.timestamp("2026-12-06 16:55:00+00"))
    }
}

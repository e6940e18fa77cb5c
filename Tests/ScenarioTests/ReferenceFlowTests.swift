import LampApp
import LampSession
import Postgres
import Scenario
import TestSupport
import Testing

/// The brief's measured ground truth (SQLAlchemy 2.1.9 + asyncpg, PostgreSQL 15, read committed,
/// test session expire_on_commit=false, app commits) must come out exactly.
@Suite("Reference flow (measured)", .bounded)
struct ReferenceFlowTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var strategy: String
        var object: String
        var transaction: String
        var committed: String
        var verdict: Verdict
        var newObject: Bool = false
        var testDescription: String { strategy }
    }

    static let measured: [Row] = [
        Row(strategy: "none", object: "off", transaction: "on", committed: "on", verdict: .stale),
        Row(strategy: "shared-session", object: "on", transaction: "on", committed: "on", verdict: .fresh),
        Row(strategy: "refresh", object: "on", transaction: "on", committed: "on", verdict: .fresh),
        Row(strategy: "expire", object: "on", transaction: "on", committed: "on", verdict: .fresh),
        Row(strategy: "expire-all", object: "on", transaction: "on", committed: "on", verdict: .fresh),
        Row(strategy: "close", object: "on", transaction: "on", committed: "on", verdict: .fresh, newObject: true),
        Row(strategy: "rollback", object: "on", transaction: "on", committed: "on", verdict: .fresh),
        Row(strategy: "commit", object: "off", transaction: "on", committed: "on", verdict: .stale),
        Row(strategy: "populate-existing", object: "on", transaction: "on", committed: "on", verdict: .fresh),
    ]

    static func run(_ strategy: String, expireOnCommit: Bool) throws -> CaseResult {
        try ScenarioCases.runOne(strategy, isolation: .readCommitted, expireOnCommit: expireOnCommit)
    }

    @Test("expire_on_commit=false, as measured", arguments: measured)
    func measuredRow(_ row: Row) throws {
        let result = try Self.run(row.strategy, expireOnCommit: false)
        #expect(result.observation.objectStatus == row.object)
        #expect(result.observation.transactionStatus == row.transaction)
        #expect(result.observation.committedStatus == row.committed)
        #expect(result.observation.verdict == row.verdict)
        #expect(result.observation.sameObject == !row.newObject)
    }

    @Test("expire_on_commit=true turns commit fresh and changes nothing else", arguments: measured)
    func expireOnCommitTrue(_ row: Row) throws {
        let result = try Self.run(row.strategy, expireOnCommit: true)
        let expected: Verdict = row.strategy == "commit" ? .fresh : row.verdict
        #expect(result.observation.verdict == expected)
    }
}

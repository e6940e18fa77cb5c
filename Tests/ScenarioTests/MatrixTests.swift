import LampApp
import LampSession
import Postgres
import Scenario
import TestSupport
import Testing

/// The full matrix (9 strategies x 3 isolation levels x expire_on_commit both x app both) against a
/// real server, each case checked against the hand-derived oracle.
@Suite("Full matrix", .bounded)
struct MatrixTests {
    static let dimensions = Dimensions(
        isolations: [.readCommitted, .repeatableRead, .serializable],
        expireOnCommit: [false, true], apps: [.commit, .flush])

    static func runMatrix() throws -> [CaseResult] {
        try ScenarioCases.run(try BuiltInScenarios.names.map(ScenarioCases.builtIn), dimensions)
    }

    @Test("108 cases, each as the session rules predict")
    func everyCaseMatchesTheOracle() throws {
        let results = try Self.runMatrix()
        #expect(results.count == 108)
        for result in results {
            let expected = try ReferenceOracle.expected(
                strategy: result.scenario, isolation: result.settings.isolation,
                expireOnCommit: result.settings.expireOnCommit, app: result.settings.app)
            let actual = ReferenceOracle.Expected(
                object: result.observation.objectStatus ?? "NULL",
                transaction: result.observation.transactionStatus ?? "NULL",
                committed: result.observation.committedStatus ?? "NULL",
                sameObject: result.observation.sameObject)
            #expect(actual == expected, "\(result.scenario), \(result.settingsLabel())")
        }
    }

    @Test("verdict, outcome and layer follow from the observations")
    func derivedFields() {
        let stale = Observation(objectStatus: "off", transactionStatus: "on", committedStatus: "on", sameObject: true, expectationsHeld: false)
        #expect(stale.verdict == .stale)
        #expect(stale.outcome == .falseFailure)
        #expect(stale.layer == .identityMap)
        let snapshot = Observation(objectStatus: "off", transactionStatus: "off", committedStatus: "on", sameObject: true, expectationsHeld: false)
        #expect(snapshot.layer == .snapshot)
        let falsePass = Observation(objectStatus: "on", transactionStatus: "on", committedStatus: "off", sameObject: true, expectationsHeld: true)
        #expect(falsePass.outcome == .falsePass)
        #expect(falsePass.layer == .snapshot, "no writer measured: the snapshot")
        var ownWrite = falsePass
        ownWrite.transactionRowWriter = .inProgress
        #expect(ownWrite.layer == .uncommittedWrite)
        var rolledBack = Observation(objectStatus: "on", transactionStatus: "off", committedStatus: "off", sameObject: true, expectationsHeld: true)
        #expect(rolledBack.layer == .identityMap)
        rolledBack.objectRowWriter = .aborted
        #expect(rolledBack.layer == .rolledBackSavepoint)
        rolledBack.objectRowWriter = .inProgress
        #expect(rolledBack.layer == .identityMap, "only an aborted writer is a rolled-back savepoint")
        let trueFailure = Observation(objectStatus: "off", transactionStatus: "off", committedStatus: "off", sameObject: true, expectationsHeld: false)
        #expect(trueFailure.outcome == .trueFailure)
        #expect(trueFailure.layer == nil)
    }

    @Test("the oracle refuses a strategy it has no rule for, rather than guessing")
    func oracleRefusesUnknownStrategies() {
        #expect(throws: ReferenceOracle.NoRule.self) {
            try ReferenceOracle.expected(strategy: "my-test", isolation: .readCommitted, expireOnCommit: false, app: .commit)
        }
    }
}

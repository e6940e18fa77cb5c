import Scenario
import TestSupport
import Testing

/// Verdict, outcome and layer as functions of the observations (no server: the observations
/// themselves are what the cross-check compares with real SQLAlchemy, and the golden files pin).
@Suite("Verdicts from observations", .bounded)
struct VerdictTests {
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
}

import LampSession
public import ScenarioModel
import Postgres
import LampApp

/// `--explain`: a few sentences per case, derived from that run's trace and observations: which
/// statement returned what, which session rule kept or dropped it, which snapshot was in force,
/// and what the verdict means for the test.
public enum ExplainRenderer {
    public static func explain(_ result: CaseResult) -> String {
        let story = CaseStory(result)
        let paragraphs = [
            [header(result)],
            setup(story),
            application(story),
            TestStepNarration.sentences(story),
            SnapshotNarration.sentences(story),
            verdict(story),
        ]
        return paragraphs.filter { !$0.isEmpty }.map { $0.joined(separator: " ") }.joined(separator: "\n") + "\n"
    }

    private static func header(_ result: CaseResult) -> String {
        "\(result.scenario) at \(result.settingsLabel()), lamp \(result.lampID):"
    }

    /// The lamp's creation and the test transaction left open when the application ran.
    private static func setup(_ story: CaseStory) -> [String] {
        var sentences: [String] = []
        for section in story.sections where section.session == story.test && !section.isObservation {
            for located in section.entries {
                guard let statement = located.statement, case .insert = statement.purpose, statement.error == nil,
                      let line = section.line else { continue }
                // Django's INSERT returns only the key: the status is the one it wrote.
                let written = story.result.orm == nil ? nil : statement.purpose.writtenValues["status"] ?? nil
                let status = statement.result?.value("status") ?? written
                let committed = story.history.transaction(writing: located.index)?.committed == true
                sentences.append("\(story.test) created lamp \(story.result.lampID) at line \(line) with status \(displayValue(status))"
                    + (committed ? " and committed it." : "."))
            }
            if !sentences.isEmpty { break }
        }
        if let first = story.applicationSections.first?.entries.first,
           let open = story.history.transaction(of: story.test, at: first.index) {
            sentences.append("\(story.test)'s transaction begun at \(story.place(open.begin)) was still open when the application ran.")
        }
        return sentences
    }

    /// What the application wrote and whether it was committed.
    private static func application(_ story: CaseStory) -> [String] {
        var sentences: [String] = []
        for section in story.applicationSections {
            let sessions = Set(section.entries.map(\.session))
            if sessions.contains(story.test) && !sessions.contains(section.session) {
                sentences.append("\(section.session) (the application) used \(story.test)'s session, so its statements ran on "
                    + "\(story.test)'s connection, inside \(story.test)'s transaction.")
            }
        }
        for write in story.applicationWrites {
            let values = write.values.keys.sorted().map { "\($0) \(displayValue(write.values[$0] ?? nil))" }.joined(separator: ", ")
            var sentence = "At \(story.place(write.index)), \(write.session) wrote \(values)"
            let transaction = story.history.transaction(writing: write.index)
            if let transaction, transaction.committed, let end = transaction.end {
                sentence += " and committed it at \(story.place(end)): that became the committed status."
            } else if let end = transaction?.end {
                sentence += ", but only flushed it: the ROLLBACK at \(story.place(end)) discarded it, so nothing was committed."
            } else {
                sentence += ", but it was never committed."
            }
            sentences.append(sentence)
        }
        if story.applicationWrites.isEmpty, !story.applicationSections.isEmpty {
            sentences.append("The application wrote nothing, so nothing was committed.")
        }
        for response in story.result.appResponses where story.applicationCommit == nil {
            sentences.append("Its endpoint still answered status \(displayValue(response.after)) (read back before its transaction ended).")
        }
        return sentences
    }

    /// The outcome and what it means for whoever reads the test result.
    private static func verdict(_ story: CaseStory) -> [String] {
        let observation = story.result.observation
        let test = story.test
        if let error = story.result.error {
            return ["The case ended at \(error.step): \(error.message). That is its outcome (\(error.summary)); the test session "
                + "was closed and the committed status is \(displayValue(observation.committedStatus))."]
                + (story.result.viewCouldNotSeeTestData ? [CaseResult.invisibleTestDataSentence] : [])
        }
        let object = displayValue(observation.objectStatus), committed = displayValue(observation.committedStatus)
        var sentences = ["In the end the object says \(object), \(test)'s transaction sees \(displayValue(observation.transactionStatus)), "
            + "and the committed status is \(committed)."]
        switch observation.outcome {
        case .truePass:
            sentences.append("The test passes and the object matches what is committed: a true pass.")
        case .trueFailure:
            sentences.append("The test fails and the lamp really is \(committed) in the database: a true failure; "
                + "the application did not switch the lamp on, and the test says so.")
        case .falseFailure:
            sentences.append("The test fails although the lamp is \(committed) in the database: a false failure, the reported bug.")
        case .noAssertion:
            sentences.append("The scenario has no expect, so there is no test to pass or fail: the object "
                + (observation.verdict == .fresh ? "matches what is committed." : "does not match what is committed."))
        case .falsePass:
            let nothing = story.applicationCommit == nil ? "nothing was committed" : "the database says \(committed)"
            sentences.append("The test passes, but the committed status is \(committed): a false pass; the test is green but \(nothing).")
        }
        switch observation.layer {
        case .identityMap:
            sentences.append("The stale layer is the identity map: \(test)'s transaction already sees \(committed); "
                + "only the object kept \(object).")
        case .rolledBackSavepoint:
            sentences.append("The stale layer is a rolled-back savepoint: the object's \(object) was loaded from a row version "
                + "written inside a savepoint that was rolled back since (the database says its writer aborted); "
                + "ROLLBACK TO SAVEPOINT expires only objects the session changed inside it, so the object kept it, "
                + "while \(test)'s transaction is back to \(committed).")
        case .uncommittedWrite:
            sentences.append("The stale layer is an uncommitted write: \(test)'s transaction sees its own uncommitted write "
                + "(\(displayValue(observation.transactionStatus)), its writer still in progress), "
                + (story.testSawUncommittedWrite ? "and that write was rolled back, never committed." : "which was never committed."))
        case .snapshot where observation.transactionStatus != observation.committedStatus && observation.objectStatus == observation.transactionStatus:
            sentences.append("The stale layer is the snapshot: \(test)'s transaction itself sees \(displayValue(observation.transactionStatus)), "
                + "so nothing done to the object inside that transaction can show \(committed); the transaction has to end first.")
        case .snapshot:
            sentences.append("The stale layer is the snapshot: \(test)'s transaction does not see what is committed.")
        case .instanceCopy:
            sentences.append("The stale layer is the model instance: Django has no identity map, every query makes a new instance, "
                + "a copy of the row; \(test)'s transaction already sees \(committed), but the instance the test holds was made "
                + "before the commit and still says \(object). refresh_from_db() or a new query gives the committed value.")
        case .querysetCache:
            sentences.append("The stale layer is the QuerySet's result cache: the QuerySet was evaluated before the commit, and "
                + "iterating it again gives the same cached instances without a query (\(object)); a new QuerySet "
                + "(filter again, or .all()) queries again.")
        case .replica:
            sentences.append("The stale layer is the replica: \(test) read the hot standby, which had not replayed the application's commit yet "
                + "(it applies commits \(observation.replayLagMilliseconds.map { "\($0) ms" } ?? "some time") later); the primary already said \(committed).")
        case nil:
            break
        }
        sentences += ReplicaRuleNotes.sentences(story.result, test: test)
        if observation.verdict == .fresh, let readsFrom = observation.readsFrom {
            sentences.append(readsFrom == ClusterSet.standby
                ? "\(test) read the hot standby, which had replayed the application's commit before the read."
                : "\(test) read the primary, where the application's commit is visible as soon as COMMIT returns.")
        }
        if !observation.sameObject {
            sentences.append("The test asserted on a new object, not the one it created: code still holding the old, detached "
                + "object would read its old values.")
        }
        return sentences
    }
}

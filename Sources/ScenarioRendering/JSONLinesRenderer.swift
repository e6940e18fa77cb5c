public import Scenario
import LampApp
import LampSession

/// `--json`: one JSON object per case, with exactly the documented keys, in a fixed order.
public enum JSONLinesRenderer {
    /// `driver`: include the `driver` key (for runs that include an async test session).
    public static func line(_ result: CaseResult, driver: Bool = false) -> String {
        let observation = result.observation
        var pairs: [(String, String)] = [("strategy", JSONText.string(result.scenario))]
        if let orm = result.orm {
            // Another ORM's line: its name, and none of SQLAlchemy's session settings.
            pairs += [("orm", JSONText.string(orm.rawValue)), ("isolation", JSONText.string(result.isolationInEffect))]
        } else {
            pairs += [
                ("isolation", JSONText.string(result.isolationInEffect)),
                ("expire_on_commit", String(result.settings.expireOnCommit)),
                ("app", JSONText.string(result.settings.app.rawValue)),
            ]
        }
        if driver { pairs.append(("driver", JSONText.string(result.settings.driver.rawValue))) }
        if observation.fixture != nil { pairs.append(("fixture", JSONText.string(result.settings.fixture.rawValue))) }
        // Only for a case that observed a named lamp: which one the status fields describe.
        if let lamp = observation.lamp { pairs.append(("lamp", JSONText.string(lamp))) }
        pairs += [
            ("object_status", JSONText.optional(observation.objectStatus)),
            ("transaction_status", JSONText.optional(observation.transactionStatus)),
            ("committed_status", JSONText.optional(observation.committedStatus)),
            ("same_object", String(observation.sameObject)),
            ("verdict", JSONText.optional(result.verdict?.rawValue)),
            ("test_passes", observation.unasserted == true && result.error == nil ? "null" : String(observation.testPasses)),
            ("outcome", JSONText.string(result.outcomeText)),
            ("layer", JSONText.optional(result.error == nil ? observation.layer?.rawValue : nil)),
        ]
        // Only in a scenario with a worker session: what another process's connection read, step by step.
        if let reads = observation.workerReads {
            pairs.append(("worker_reads", "[" + reads.map(JSONText.optional).joined(separator: ", ") + "]"))
        }
        if let fixture = observation.fixture {
            pairs += [("other_connection_status", JSONText.optional(fixture.otherConnectionStatus)),
                      ("after_teardown_status", JSONText.optional(fixture.afterTeardownStatus)),
                      ("app_change_survives", fixture.appChangeSurvives.map { String($0) } ?? "null")]
        }
        pairs += replicaFields(observation)
        // Keys that apply only to some cases appear only there, so other runs' lines stay as they were.
        if let error = result.error {
            var fields = [("kind", JSONText.string(error.kind)), ("line", error.line.map(String.init) ?? "null")]
            if let holder = error.holder { fields.append(("holder", JSONText.string(holder))) }
            pairs.append(("error", JSONText.object(fields)))
        }
        if let line = result.stoppedAtLine {
            pairs.append(("stopped_at_line", String(line)))
            pairs.append(("outcome_without_stopping", JSONText.optional(result.outcomeWithoutStopping)))
        }
        return JSONText.object(pairs)
    }

    /// `reads_from`, `replay_lag_ms` and `commit_ms`, only for cases run with a standby.
    private static func replicaFields(_ observation: Observation) -> [(String, String)] {
        guard let readsFrom = observation.readsFrom else { return [] }
        return [("reads_from", JSONText.string(readsFrom)),
                ("replay_lag_ms", observation.replayLagMilliseconds.map(String.init) ?? "null"),
                ("commit_ms", observation.commitMilliseconds.map(String.init) ?? "null")]
    }

    public static func render(_ results: [CaseResult]) -> String {
        let driver = results.contains { $0.settings.driver == .async }
        return results.map { line($0, driver: driver) + "\n" }.joined()
    }
}

public import Scenario
import LampApp

/// `--json`: one JSON object per case, with exactly the documented keys, in a fixed order.
public enum JSONLinesRenderer {
    public static func line(_ result: CaseResult) -> String {
        let observation = result.observation
        return JSONText.object([
            ("strategy", JSONText.string(result.scenario)),
            ("isolation", JSONText.string(result.isolationInEffect)),
            ("expire_on_commit", String(result.settings.expireOnCommit)),
            ("app", JSONText.string(result.settings.app.rawValue)),
            ("object_status", JSONText.optional(observation.objectStatus)),
            ("transaction_status", JSONText.optional(observation.transactionStatus)),
            ("committed_status", JSONText.optional(observation.committedStatus)),
            ("same_object", String(observation.sameObject)),
            ("verdict", JSONText.string(observation.verdict.rawValue)),
            ("test_passes", String(observation.testPasses)),
            ("outcome", JSONText.string(observation.outcome.rawValue)),
            ("layer", JSONText.optional(observation.layer?.rawValue)),
        ] + replicaFields(observation))
    }

    /// `reads_from` and `replay_lag_ms`, only for cases run with a standby.
    private static func replicaFields(_ observation: Observation) -> [(String, String)] {
        guard let readsFrom = observation.readsFrom else { return [] }
        return [("reads_from", JSONText.string(readsFrom)),
                ("replay_lag_ms", observation.replayLagMilliseconds.map(String.init) ?? "null")]
    }

    public static func render(_ results: [CaseResult]) -> String {
        results.map { line($0) + "\n" }.joined()
    }
}

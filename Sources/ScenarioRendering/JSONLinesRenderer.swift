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
        ])
    }

    public static func render(_ results: [CaseResult]) -> String {
        results.map { line($0) + "\n" }.joined()
    }
}

public import ScenarioModel
import LampSession

/// `--json`: one JSON object per case, a `CaseLine` (the documented keys, in a fixed order).
public enum JSONLinesRenderer {
    /// `driver`: include the `driver` key (for runs that include an async test session).
    public static func line(_ result: CaseResult, driver: Bool = false) -> String {
        // A CaseLine holds strings, booleans, integers and objects of them: encoding cannot fail.
        (try? JSONLineEncoder.encode(CaseLine(result, driver: driver))) ?? "{}"
    }

    public static func render(_ results: [CaseResult]) -> String {
        let driver = results.contains { $0.settings.driver == .async }
        return results.map { line($0, driver: driver) + "\n" }.joined()
    }
}

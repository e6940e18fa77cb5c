public import ScenarioModel
import LampSession

/// `--junit FILE.xml`: the run as JUnit XML for a CI job's test tab. One `testsuite` per
/// scenario (strategy), one `testcase` per case, named by strategy and settings. A case whose
/// test fails (its `expect` did not hold) is a `failure` whose message gives the verdict, the
/// layer and the values; an error or a blocked step is an `error`; a precondition the server
/// lacks is `skipped`. The fields of each case's JSON line are the suite's properties (the
/// published JUnit schema allows properties on suites only), keyed `SETTINGS :: FIELD`, and the
/// line itself is the case's `system-out`.
public enum JUnitReport {
    public static func render(_ results: [CaseResult], context: ReportContext) -> String {
        let driver = results.contains { $0.settings.driver == .async }
        let suites = SummaryRenderer.orderedNames(results).map { name in
            (name, results.filter { $0.scenario == name })
        }
        let failures = results.filter(isFailure).count
        let errors = results.filter(isError).count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"lampctl scenario\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
        for (name, cases) in suites {
            out += "  <testsuite name=\(attribute(name)) tests=\"\(cases.count)\" failures=\"\(cases.filter(isFailure).count)\" "
                + "errors=\"\(cases.filter(isError).count)\" skipped=\"\(cases.filter(isSkipped).count)\" timestamp=\(attribute(context.date))>\n"
            out += "    <properties>\n"
            out += property("lampctl.version", context.lampctlVersion)
            out += property("server.version", context.serverVersion)
            out += property("database", context.database)
            for result in cases {
                let prefix = label(result) + " :: "
                for field in fields(result, driver: driver) { out += property(prefix + field.key, field.value) }
            }
            out += "    </properties>\n"
            for result in cases { out += testcase(result, driver: driver) }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    static func testcase(_ result: CaseResult, driver: Bool) -> String {
        let orm = result.ormRan.rawValue
        var out = "    <testcase classname=\(attribute("lampctl.\(orm).\(result.scenario)")) name=\(attribute("\(result.scenario) [\(label(result))]"))>\n"
        if let error = result.error {
            let element = error.isNotApplicable ? "skipped" : "error"
            out += "      <\(element) type=\(attribute(error.kind)) message=\(attribute("\(error.summary): \(error.message)"))>"
                + "\(MarkupText.escape("\(error.step): \(error.message); committed \(displayValue(result.observation.committedStatus))"))</\(element)>\n"
        } else if isFailure(result) {
            let observation = result.observation
            let expectations = result.expectations.filter { !$0.held }.map(\.description).joined(separator: "; ")
            out += "      <failure type=\(attribute(observation.outcome.rawValue)) message=\(attribute(failureMessage(result)))>"
                + "\(MarkupText.escape(expectations))</failure>\n"
        }
        out += "      <system-out>\(MarkupText.escape(JSONLinesRenderer.line(result, driver: driver)))</system-out>\n"
        return out + "    </testcase>\n"
    }

    /// The case's settings, unique within its scenario: `read committed (default), expire_on_commit=false, app=commit`.
    static func label(_ result: CaseResult) -> String {
        result.settings.label(isolation: TableRenderer.isolation(result))
    }

    /// `stale (identity map), false failure: the object says 'off', the transaction sees 'on', committed 'on'`.
    static func failureMessage(_ result: CaseResult) -> String {
        let observation = result.observation
        let verdict = observation.verdict.rawValue + (observation.layer.map { " (\($0.rawValue))" } ?? "")
        return "\(verdict), \(observation.outcome.rawValue): the object says \(displayValue(observation.objectStatus)), "
            + "the transaction sees \(displayValue(observation.transactionStatus)), committed \(displayValue(observation.committedStatus))"
    }

    /// The case's test failed: an `expect` did not hold (and no error ended it).
    static func isFailure(_ result: CaseResult) -> Bool {
        result.error == nil && result.observation.outcome != .noAssertion && !result.observation.testPasses
    }

    static func isError(_ result: CaseResult) -> Bool { result.error.map { !$0.isNotApplicable } ?? false }

    static func isSkipped(_ result: CaseResult) -> Bool { result.error?.isNotApplicable ?? false }

    private static func fields(_ result: CaseResult, driver: Bool) -> [(key: String, value: String)] {
        (try? JSONLineEncoder.fields(CaseLine(result, driver: driver))) ?? []
    }

    private static func property(_ name: String, _ value: String) -> String {
        "      <property name=\(attribute(name)) value=\(attribute(value))/>\n"
    }

    private static func attribute(_ value: String) -> String { MarkupText.attribute(value) }
}

public import LampSession
import Scenario

extension ScenarioSelection {
    public static let driverValues = ["sync", "async", "both"]

    /// `--driver`: `sync`, `async` (a comma list) or `both`.
    public static func drivers(_ value: String) throws -> [SessionDriver] {
        try splitList(value).flatMap { name -> [SessionDriver] in
            if name == "both" { return SessionDriver.allCases }
            guard let driver = SessionDriver(rawValue: name) else {
                throw LampctlError("unknown driver '\(name)'\(Suggestion.clause(for: name, among: driverValues)): expected sync, async or both", status: .usage)
            }
            return [driver]
        }.uniqued()
    }
}

import Foundation
import LampApp
import LampSession
public import Scenario

/// Results of real runs recorded as JSON in `Fixtures/recorded/` (`make fixtures` rewrites them),
/// so that renderer tests run on them without a database. A test in ScenarioTests checks that a
/// real run still records exactly these.
public enum RecordedResults {
    /// One recorded run: which scenarios, over which dimensions.
    public struct Recording: Sendable, CustomStringConvertible {
        public var name: String
        public var scenarios: [String]
        public var dimensions: Dimensions

        public var file: String { "recorded/\(name).json" }
        public var description: String { name }
    }

    /// Every recording. `default` is `lampctl scenario`; `refresh-matrix` is
    /// `lampctl scenario --fix refresh --isolation all --app both`; the others are one case each.
    public static let recordings: [Recording] = [
        Recording(name: "default", scenarios: BuiltInScenarios.names, dimensions: Dimensions()),
        Recording(name: "refresh-matrix", scenarios: ["refresh"],
                  dimensions: Dimensions(isolations: [.readCommitted, .repeatableRead, .serializable], apps: [.commit, .flush])),
        one("none"),
        one("none", isolation: .repeatableRead),
        one("none", app: .flush),
        one("refresh", isolation: .readCommitted),
        one("refresh", isolation: .repeatableRead),
        one("shared-session", app: .flush),
        one("commit", expireOnCommit: false),
        one("commit", expireOnCommit: true),
        one("close", isolation: .repeatableRead),
    ]

    private static func one(_ scenario: String, isolation: IsolationLevel = .serverDefault, expireOnCommit: Bool = false,
                            app: AppMode = .commit) -> Recording {
        var name = scenario
        if isolation != .serverDefault { name += "-" + isolation.argument }
        if expireOnCommit { name += "-expire-on-commit" }
        if app != .commit { name += "-app-" + app.rawValue }
        return Recording(name: name, scenarios: [scenario],
                         dimensions: Dimensions(isolations: [isolation], expireOnCommit: [expireOnCommit], apps: [app]))
    }

    /// A recording by name.
    public static func recording(_ name: String) throws -> Recording {
        guard let recording = recordings.first(where: { $0.name == name }) else {
            throw TestSupportError("no recording named \(name)")
        }
        return recording
    }

    /// The results a recording holds.
    public static func load(_ name: String) throws -> [CaseResult] {
        let url = Fixtures.url(try recording(name).file)
        guard let data = try? Data(contentsOf: url) else {
            throw TestSupportError("missing \(url.path): run make fixtures")
        }
        return try JSONDecoder().decode([CaseResult].self, from: data)
    }

    /// The one result of a single-case recording.
    public static func one(_ name: String) throws -> CaseResult {
        let results = try load(name)
        guard results.count == 1, let result = results.first else {
            throw TestSupportError("recording \(name) holds \(results.count) cases, not 1")
        }
        return result
    }

    /// Results as the recording files hold them: pretty-printed, keys sorted, one newline at the end.
    public static func encode(_ results: [CaseResult]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(results), as: UTF8.self) + "\n"
    }
}

/// Which `lampctl scenario` options were given, to refuse combinations where one would be
/// silently dropped. `--output` combines with everything (`--list`, `--show`, `--grammar` included).
public struct ScenarioFlags: Sendable {
    public var fix = false, file = false, isolation = false, expireOnCommit = false, app = false, driver = false, fixture = false
    public var stopAtFailedExpect = false
    public var json = false, trace = false, explain = false, expect = false, report = false, junit = false
    public var diagram: String?
    public var list = false, show = false, grammar = false
    /// Options that may be given once but were given more often.
    public var repeated: [String] = []

    public init() {}

    /// The first contradiction, as a one-line message; nil when the options fit together.
    public func contradiction() -> String? {
        if let option = repeated.first { return "\(option) was given more than once: give it once" }
        if list && show { return "--list and --show cannot be combined" }
        if grammar {
            if let other = [(list, "--list"), (show, "--show")].first(where: \.0)?.1 ?? runOptions.first(where: { $0 != "--json" }) {
                return "--grammar and \(other) cannot be combined: --grammar prints the scenario file grammar and runs nothing"
            }
            return nil
        }
        for (given, name) in [(list, "--list"), (show, "--show")] where given {
            if let other = runOptions.first {
                return "\(name) and \(other) cannot be combined: \(name) prints built-in scenarios and runs nothing"
            }
        }
        if json, let other = [(trace, "--trace"), (explain, "--explain"), (diagram != nil, "--diagram")].first(where: \.0)?.1 {
            return "--json and \(other) cannot be combined: JSON Lines hold the results only"
        }
        if diagram == "mermaid", let other = [(trace, "--trace"), (explain, "--explain")].first(where: \.0)?.1 {
            return "--diagram mermaid and \(other) cannot be combined: the output is Mermaid markup only"
        }
        return nil
    }

    /// The options that only matter to a run, in the order they are named in messages.
    private var runOptions: [String] {
        [(fix, "--fix"), (file, "--file"), (isolation, "--isolation"), (expireOnCommit, "--expire-on-commit"),
         (app, "--app"), (driver, "--driver"), (fixture, "--fixture"), (json, "--json"), (trace, "--trace"), (diagram != nil, "--diagram"),
         (explain, "--explain"), (expect, "--expect"), (stopAtFailedExpect, "--stop-at-failed-expect"), (report, "--report"), (junit, "--junit")].filter(\.0).map(\.1)
    }
}

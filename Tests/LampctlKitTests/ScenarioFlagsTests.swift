import LampctlKit
@testable import Scenario
@testable import ScenarioModel
import TestSupport
import Testing

/// Contradictory scenario options and "did you mean", without a database.
@Suite("Scenario flags and suggestions", .bounded)
struct ScenarioFlagsTests {
    @Test("options that would be dropped are refused; those that combine are not")
    func contradictions() {
        var flags = ScenarioFlags()
        #expect(flags.contradiction() == nil)
        flags.trace = true
        flags.explain = true
        flags.diagram = "text"
        #expect(flags.contradiction() == nil, "trace, text diagram and explain are printed one after the other")
        flags.json = true
        #expect(flags.contradiction()?.hasPrefix("--json and --trace") == true)
        flags = ScenarioFlags()
        flags.show = true
        #expect(flags.contradiction() == nil)
        flags.expect = true
        #expect(flags.contradiction()?.hasPrefix("--show and --expect") == true)
        flags = ScenarioFlags()
        flags.repeated = ["--output"]
        #expect(flags.contradiction() == "--output was given more than once: give it once")
    }

    @Test("did you mean: the closest name within a few edits, none for a wild guess")
    func suggestions() {
        let names = ["none", "refresh", "expire", "expire-all", "populate-existing"]
        #expect(Suggestion.closest(to: "refrsh", among: names) == "refresh")
        #expect(Suggestion.closest(to: "expire_all", among: names) == "expire-all")
        #expect(Suggestion.closest(to: "populate", among: names) == nil)
        #expect(Suggestion.closest(to: "xyzzy", among: names) == nil)
        #expect(Suggestion.clause(for: "Refresh", among: names) == " (did you mean 'refresh'?)")
    }
}

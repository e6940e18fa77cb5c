import Scenario
import TestSupport
import Testing

/// The recorded results renderer tests use (Fixtures/recorded) are what a real run records now:
/// the same cases, statements, events and observations (`make fixtures` rewrites them).
@Suite("Recorded results", .bounded)
struct RecordedResultsTests {
    @Test("a real run records exactly the recorded results", arguments: RecordedResults.recordings)
    func matchesARealRun(_ recording: RecordedResults.Recording) throws {
        let definitions = try recording.scenarios.map(ScenarioCases.builtIn)
        let actual = try RecordedResults.encode(try ScenarioCases.run(definitions, recording.dimensions))
        let expected = try #require(try Fixtures.expected(recording.file, actual: actual), "run make fixtures")
        #expect(actual == expected)
    }
}

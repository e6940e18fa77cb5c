import Foundation
import LampctlKit
import Scenario
import ScenarioRendering
import TestSupport
import Testing
import LampSession

/// `lampctl scenario`'s outputs rebuilt from recorded results, with no database, must equal the
/// golden files the end-to-end tests pin: renderers are functions of results.
@Suite("Renderers on recorded results", .bounded)
struct RecordedOutputTests {
    static func golden(_ file: String) throws -> String {
        guard let text = try? String(contentsOf: Fixtures.url(file), encoding: .utf8) else {
            throw TestSupportError("missing Fixtures/\(file): run make fixtures")
        }
        return text
    }

    /// What `lampctl scenario` writes for these results with this presentation.
    static func output(_ results: [CaseResult], trace: Bool = false, json: Bool = false) -> String {
        let presentation = ScenarioPresentation(json: json, trace: trace, diagram: nil, explain: false, colored: false)
        return results.map(presentation.streamed).joined() + presentation.final(results)
    }

    @Test("table and summary: lampctl scenario")
    func table() throws {
        #expect(Self.output(try RecordedResults.load("default")) == (try Self.golden("expected/scenario-default.txt")))
    }

    @Test("JSON Lines: lampctl scenario --json")
    func json() throws {
        let results = try RecordedResults.load("default")
        #expect(Self.output(results, json: true) == (try Self.golden("expected/scenario-default.jsonl")))
        #expect(JSONLinesRenderer.render(results) == (try Self.golden("expected/scenario-default.jsonl")))
    }

    @Test("trace: lampctl scenario --fix none --trace")
    func trace() throws {
        #expect(Self.output(try RecordedResults.load("none"), trace: true) == (try Self.golden("expected/scenario-none-trace.txt")))
    }

    @Test("a matrix: lampctl scenario --fix refresh --isolation all --app both")
    func matrix() throws {
        #expect(Self.output(try RecordedResults.load("refresh-matrix")) == (try Self.golden("expected/scenario-refresh-matrix.txt")))
    }

    @Test("a recorded result decodes and encodes back to the same text", arguments: RecordedResults.recordings)
    func roundTrip(_ recording: RecordedResults.Recording) throws {
        let text = try String(contentsOf: Fixtures.url(recording.file), encoding: .utf8)
        #expect(try RecordedResults.encode(try RecordedResults.load(recording.name)) == text)
    }

    @Test("the event log carries values: purposes, markers and expectations, no marker strings")
    func typedLog() throws {
        let result = try RecordedResults.one("none")
        let steps = result.events.compactMap { if case let .step(marker) = $0 { marker } else { nil } }
        #expect(steps.map(\.title).contains("line 16: S1 select"))
        #expect(steps.contains { $0.action == .expect("on") && $0.session == "S1" })
        let purposes = result.statements.map(\.purpose)
        #expect(purposes.contains(.begin(.serverDefault)))
        #expect(purposes.contains(.update(table: "lamps", key: result.lampID, values: ["status": "on"])))
        #expect(purposes.contains(.insert(table: "lamps", values: ["id": .some(String(result.lampID)), "status": "off"])))
        #expect(result.events.contains { if case let .expectation(_, expectation) = $0 { !expectation.held } else { false } })
    }
}

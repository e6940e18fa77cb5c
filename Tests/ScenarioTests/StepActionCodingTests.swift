import Foundation
import Scenario
import TestSupport
import Testing
import LampApp

/// Recorded results spell each step as a scenario file does, and read it back.
@Suite("Step actions in recordings", .bounded)
struct StepActionCodingTests {
    static let actions: [StepAction] = [
        .create(status: nil), .create(status: "on"), .select(populateExisting: false), .select(populateExisting: true),
        .refresh, .expire, .expireAll, .close, .commit, .rollback, .flush, .sqlRead,
        .switchOn(nil), .switchOn(.commit), .switchOn(.flush), .expect("on"), .expect("off"),
    ]

    @Test("every step encodes as its text and decodes to itself", arguments: actions)
    func roundTrip(_ action: StepAction) throws {
        let data = try JSONEncoder().encode([action])
        #expect(String(decoding: data, as: UTF8.self) == "[\"\(action.text)\"]")
        #expect(try JSONDecoder().decode([StepAction].self, from: data) == [action])
    }

    @Test("text that is no step is refused")
    func unknown() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([StepAction].self, from: Data("[\"dance\"]".utf8)) }
    }
}

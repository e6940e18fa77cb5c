import Scenario
import TestSupport
import Testing

/// A file that is not UTF-8 is reported at the line and column of its first bad byte (it was
/// always 1:1).
@Suite("Invalid UTF-8 located", .bounded)
struct InvalidUTF8LocationTests {
    @Test("the bad byte's line and column")
    func located() throws {
        let bytes = Array("scenario x\nsession S1 test\n# caf".utf8) + [0xE9] + Array(" latin-1\n".utf8)
        let error = try #require(throws: ScenarioParseError.self) { try ScenarioParser(file: "t.scenario").parse(bytes: bytes) }
        #expect(error.line == 3)
        #expect(error.column == 6)
        #expect(error.description == "t.scenario:3:6: file is not valid UTF-8 text")
    }

    @Test("after a byte-order mark, columns do not count it")
    func afterByteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("ab".utf8) + [0xFF]
        let error = try #require(throws: ScenarioParseError.self) { try ScenarioParser(file: "t.scenario").parse(bytes: bytes) }
        #expect(error.line == 1)
        #expect(error.column == 3)
    }
}

import TestSupport
import Testing
@testable import WireProtocol

/// The wire protocol as lampctl watch reads it: framing across arbitrary chunk boundaries, the
/// messages it decodes, and refusals of what does not parse (never a crash).
@Suite(.bounded) struct WireProtocolTests {
    static func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
        let length = UInt32(body.count + 4)
        return [UInt8(ascii: type.unicodeScalars.first!)] + [24, 16, 8, 0].map { UInt8((length >> $0) & 0xFF) } + body
    }

    static func cString(_ text: String) -> [UInt8] { Array(text.utf8) + [0] }
    static func int16(_ value: Int16) -> [UInt8] { [UInt8(UInt16(bitPattern: value) >> 8), UInt8(UInt16(bitPattern: value) & 0xFF)] }
    static func int32(_ value: Int32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((UInt32(bitPattern: value) >> $0) & 0xFF) } }

    @Test func framesSurviveAnyChunking() throws {
        let stream = Self.message("Q", Self.cString("SELECT 1")) + Self.message("S", []) + Self.message("X", [])
        for chunk in 1...stream.count {
            var framer = MessageFramer()
            var messages: [MessageFramer.Message] = []
            var offset = 0
            while offset < stream.count {
                messages += try framer.feed(stream[offset..<min(offset + chunk, stream.count)])
                offset += chunk
            }
            #expect(messages.map(\.type) == [UInt8(ascii: "Q"), UInt8(ascii: "S"), UInt8(ascii: "X")], "chunk \(chunk)")
            #expect(try FrontendMessage(messages[0]) == .query("SELECT 1"))
        }
    }

    @Test func aLengthBelowFourIsRefusedNotTrapped() {
        var framer = MessageFramer()
        #expect(throws: WireError.badLength(2)) { try framer.feed([UInt8(ascii: "Q"), 0, 0, 0, 2]) }
    }

    @Test func bindCarriesParametersAndResultFormats() throws {
        let body = Self.cString("") + Self.cString("s1") + Self.int16(1) + Self.int16(1) + Self.int16(2)
            + Self.int32(4) + Self.int32(7) + Self.int32(-1) + Self.int16(1) + Self.int16(1)
        let decoded = try FrontendMessage(MessageFramer.Message(type: UInt8(ascii: "B"), body: body))
        #expect(decoded == .bind(portal: "", statement: "s1", parameterFormats: [1], parameters: [[0, 0, 0, 7], nil], resultFormats: [1]))
        #expect(WireValue.text([0, 0, 0, 7], format: 1, typeOID: 23) == "7")
        #expect(WireValue.text([0xFF, 0xFF, 0xFF, 0xFE], format: 1, typeOID: 23) == "-2")
        #expect(WireValue.text([1, 2], format: 1, typeOID: 17) == "\\x0102")
    }

    @Test func rowDescriptionNamesTableAndColumn() throws {
        let field = Self.cString("status") + Self.int32(16395) + Self.int16(2) + Self.int32(25) + Self.int16(-1) + Self.int32(-1) + Self.int16(0)
        let decoded = try BackendMessage(MessageFramer.Message(type: UInt8(ascii: "T"), body: Self.int16(1) + field))
        #expect(decoded == .rowDescription([.init(name: "status", tableOID: 16395, column: 2, typeOID: 25, format: 0)]))
        let truncated = MessageFramer.Message(type: UInt8(ascii: "T"), body: Self.int16(2) + field)
        #expect(throws: WireError.truncated) { try BackendMessage(truncated) }
    }

    @Test func startupPacketsAndRequests() throws {
        let parameters = Self.cString("user") + Self.cString("me") + Self.cString("database") + Self.cString("db") + [0]
        let startup = Self.int32(Int32(8 + parameters.count)) + Self.int32(196_608) + parameters
        #expect(try StartupPacket(startup) == .startup(version: 196_608, parameters: ["user": "me", "database": "db"]))
        #expect(try StartupPacket(Self.int32(8) + Self.int32(80_877_103)) == .sslRequest)
        #expect(try StartupPacket(Self.int32(16) + Self.int32(80_877_102) + Self.int32(42) + Self.int32(7)) == .cancel(pid: 42, key: 7))
        #expect(throws: WireError.badLength(4)) { try StartupPacket(Self.int32(4) + Self.int32(0)) }
    }
}

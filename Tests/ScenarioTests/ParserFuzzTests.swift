@testable import Scenario
@testable import ScenarioModel
import TestSupport
import Testing

/// A bounded fuzz loop over the parser: random bytes and mutations of the built-in files must
/// either parse or throw a located ScenarioParseError, never crash.
@Suite("Scenario parser fuzz", .bounded)
struct ParserFuzzTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let alphabet = Array("scenario session test app uses S1 S2 create select refresh expect on off = # \n\t -_x0".utf8)

    @Test("20,000 random and mutated inputs: no crash, every error located")
    func fuzz() throws {
        var random = SplitMix(state: 0x1A3C_5E7F)
        let seeds = BuiltInScenarios.sources.map { Array($0.text.utf8) }
        var parsed = 0
        for iteration in 0..<20_000 {
            var bytes: [UInt8]
            switch iteration % 3 {
            case 0:
                bytes = (0..<Int.random(in: 0...200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            case 1:
                bytes = (0..<Int.random(in: 0...300, using: &random)).map { _ in Self.alphabet.randomElement(using: &random)! }
            default:
                bytes = seeds.randomElement(using: &random)!
                for _ in 0..<Int.random(in: 1...8, using: &random) where !bytes.isEmpty {
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    switch Int.random(in: 0...3, using: &random) {
                    case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
                    case 1: bytes.remove(at: index)
                    case 2: bytes.insert(Self.alphabet.randomElement(using: &random)!, at: index)
                    default:
                        let end = min(bytes.count, index + Int.random(in: 1...40, using: &random))
                        bytes.insert(contentsOf: bytes[index..<end], at: index)
                    }
                }
            }
            do {
                _ = try ScenarioParser(file: "fuzz").parse(bytes: bytes)
                parsed += 1
            } catch let error as ScenarioParseError {
                #expect(error.line >= 1 && error.column >= 1)
                #expect(!error.message.isEmpty)
            }
        }
        #expect(parsed > 0, "some mutations still parse")
    }

    @Test("a look-alike letter inserted at every position of every built-in: parses the same, or is refused there, named")
    func lookalikeEverywhere() throws {
        var refused = 0
        for (name, text) in BuiltInScenarios.sources {
            let original = try ScenarioParser(file: name).parse(text)
            let characters = Array(text)
            for offset in 0...characters.count {
                var changed = characters
                changed.insert("\u{0435}", at: offset)
                let line = characters[..<offset].filter { $0 == "\n" }.count + 1
                let column = offset - (characters[..<offset].lastIndex(of: "\n").map { $0 + 1 } ?? 0) + 1
                do {
                    let parsed = try ScenarioParser(file: name).parse(String(changed))
                    #expect(parsed.sessions == original.sessions && parsed.steps == original.steps, "\(name) at \(line):\(column)")
                } catch let error as ScenarioParseError {
                    refused += 1
                    #expect(error.message.contains("U+0435 CYRILLIC SMALL LETTER IE, which is not ASCII"), "\(error)")
                    #expect(error.line == line && error.column == column, "\(error), inserted at \(line):\(column)")
                }
            }
        }
        #expect(refused > 0)
    }
}

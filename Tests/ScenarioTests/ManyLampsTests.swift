import Foundation
import LampApp
import Scenario
import TestSupport
import Testing

/// Named lamps cost time linear in their number: each step used to look at every object of the
/// case (the flush for dirty objects, the row-version notes), so 2,000 lamps took 3x the time of
/// 1,000 and 4,000 more than 3.5x the time of 2,000.
@Suite("Many named lamps")
struct ManyLampsTests {
    static func seconds(lamps: Int) throws -> Double {
        var lines = ["scenario lamps", "session S1 test", "session S2 app"]
        lines += (0..<lamps).map { "S1 create l\($0)" }
        lines += ["S2 switch-on l0", "S1 select l0", "S1 expect l0 on"]
        let definition = try ScenarioParser(file: "lamps.scenario").parse(lines.joined(separator: "\n") + "\n")
        let start = ContinuousClock.now
        let result = try #require(try ScenarioCases.run([definition]).first)
        let elapsed = ContinuousClock.now - start
        #expect(result.error == nil)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    @Test("4,000 lamps take at most 2.8x the time of 2,000 (linear: about 2x)")
    func linear() throws {
        _ = try Self.seconds(lamps: 200)  // warm up the connections and caches
        let half = try Self.seconds(lamps: 2000)
        let whole = try Self.seconds(lamps: 4000)
        #expect(whole / half < 2.8, "2,000 lamps: \(half) s, 4,000 lamps: \(whole) s")
    }
}

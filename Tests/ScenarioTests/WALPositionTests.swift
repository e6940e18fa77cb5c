import Postgres
@testable import Scenario
@testable import ScenarioModel
import TestSupport
import Testing

/// A WAL insert position just past an empty page's header is backed off to the page boundary
/// (a standby's replay stops there); every other position is kept. The page and segment sizes
/// come from the server.
@Suite("WAL position a standby can reach", .bounded)
struct WALPositionTests {
    @Test("X/Y text round-trips through its 64-bit value; garbage is not a position")
    func parsing() {
        #expect(WALPosition.parse("0/33F8018") == 0x33F_8018)
        #expect(WALPosition.parse("1A/0") == 0x1A_0000_0000)
        #expect(WALPosition.format(0x1A_0000_0028) == "1A/28")
        #expect(WALPosition.format(WALPosition.parse("0/33F8000")!) == "0/33F8000")
        #expect(WALPosition.parse("33F8018") == nil)
        #expect(WALPosition.parse("0/XYZ") == nil)
    }

    @Test("past a page header: the boundary; past a segment's long header: the segment start; anything else as it is")
    func reachable() throws {
        let connection = try TestDatabase.connect()
        defer { connection.close() }
        let sizes = try #require(try connection.execute(
            "SELECT current_setting('wal_block_size'), (SELECT setting FROM pg_settings WHERE name = 'wal_segment_size')").rows.first)
        let page = try #require(sizes[0].flatMap { UInt64($0) }), segment = try #require(sizes[1].flatMap { UInt64($0) })
        func reachable(_ position: UInt64) throws -> String {
            try WALPosition.reachable(WALPosition.format(position), on: connection)
        }
        let segmentStart = 3 * segment
        #expect(try reachable(segmentStart + 5 * page + 24) == WALPosition.format(segmentStart + 5 * page))
        #expect(try reachable(segmentStart + 40) == WALPosition.format(segmentStart))
        // A record's end, in the middle of a page or after data on a segment's first page.
        #expect(try reachable(segmentStart + 5 * page + 32) == WALPosition.format(segmentStart + 5 * page + 32))
        #expect(try reachable(segmentStart + 24) == WALPosition.format(segmentStart + 24))
        #expect(try reachable(segmentStart + 5 * page + 1024 + 24) == WALPosition.format(segmentStart + 5 * page + 1024 + 24))
    }
}

import Foundation
import Postgres

/// A WAL position (`pg_lsn`, printed `X/Y`) that a standby's replay can reach.
///
/// When the last record ends exactly at a WAL page boundary, `pg_current_wal_insert_lsn()`
/// points past the header of the next page, which holds nothing yet: a standby's
/// `pg_last_wal_replay_lsn()` stops at the boundary until another record is written, and on an
/// idle primary the next one may be the bgwriter's standby snapshot, up to 15 s later (measured
/// here: a replica run that took 26 s instead of 5.4 s, its first wait stuck at `0/33F8018` with
/// the standby at `0/33F8000`). Such a position is backed off to the page boundary, where the
/// WAL before it really ends.
enum WALPosition {
    /// MAXALIGNed sizes of a WAL page's header: the long one opens a segment.
    static let shortPageHeader: UInt64 = 24
    static let longPageHeader: UInt64 = 40

    static func parse(_ text: String) -> UInt64? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let high = UInt64(parts[0], radix: 16), let low = UInt64(parts[1], radix: 16),
              high <= UInt64(UInt32.max), low <= UInt64(UInt32.max) else { return nil }
        return high << 32 | low
    }

    static func format(_ position: UInt64) -> String {
        String(position >> 32, radix: 16, uppercase: true) + "/" + String(position & 0xFFFF_FFFF, radix: 16, uppercase: true)
    }

    /// `lsn`, or the page boundary before it when it sits just past an empty page's header (the
    /// WAL geometry is asked of `connection`, either server, only in that case).
    static func reachable(_ lsn: String, on connection: Connection) throws -> String {
        // Pages are at least 1 kB: a position past a header is one of these modulo 1024.
        guard let position = parse(lsn), [shortPageHeader, longPageHeader].contains(position % 1024) else { return lsn }
        let geometry = try connection.execute("""
            SELECT current_setting('wal_block_size'), (SELECT setting FROM pg_settings WHERE name = 'wal_segment_size')
            """).rows.first
        guard let page = geometry?[0].flatMap({ UInt64($0) }), let segment = geometry?[1].flatMap({ UInt64($0) }),
              page > 0, segment > 0 else { return lsn }
        let header = position % segment < page ? longPageHeader : shortPageHeader
        return position % page == header ? format(position - header) : lsn
    }
}

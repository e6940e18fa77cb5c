import LampSession
import Postgres

/// Which row version each test object's `status` was last loaded from, as the database says, for
/// the stale layer (`Observation.objectRowWriter`, `.transactionRowWriter`). Read with untraced
/// queries on the loading session's connection, so the trace shows only what the ORM sends;
/// tools/crosscheck.py reads the same with SQLAlchemy's `load` and `refresh` events.
struct RowVersions {
    /// A row version: its `xmin` as `xid8` (epoch included), and the status it holds.
    struct Version: Equatable {
        var xid: String
        var status: String?
    }

    private struct Entry {
        weak var object: ORMObject?
        var loads: Int
        var version: Version?
    }

    private var entries: [ObjectIdentifier: Entry] = [:]
    /// `ORMObject.rowLoadsSoFar` when `loadsMoved` last said true.
    private var rowLoadsSeen: Int?

    /// True when some object's `rowLoads` may have changed since the last time it said true (a
    /// step that loaded no row then needs no `note`, which looks at every object of the case).
    mutating func loadsMoved() -> Bool {
        let now = ORMObject.rowLoadsSoFar
        defer { rowLoadsSeen = now }
        return now != rowLoadsSeen
    }

    /// After a step: for each object whose status a query row filled since the last call, the version
    /// its session's transaction sees now (the one it loaded: no other session ran in between).
    /// `connection` gives the connection to read on, nil when there is none to read without
    /// changing anything (no open transaction, a standby): the version is then unknown.
    mutating func note(_ objects: [ORMObject], connection: (ORMObject) -> Connection?) throws {
        for object in objects {
            let loads = object.rowLoads["status"] ?? 0
            let id = ObjectIdentifier(object)
            let known = entries[id].flatMap { $0.object === object ? $0.loads : nil } ?? 0
            guard loads != known, let key = object.key else { continue }
            let version = try connection(object).flatMap { try Self.visibleVersion(key: key, on: $0) }
            entries[id] = Entry(object: object, loads: loads, version: version)
        }
    }

    /// The version `object`'s status was last loaded from, if known.
    func loadedVersion(of object: ORMObject) -> Version? {
        guard let entry = entries[ObjectIdentifier(object)], entry.object === object else { return nil }
        return entry.version
    }

    /// The `xmin` of the row version the connection's transaction sees, as `xid8`: the epoch from the
    /// current snapshot's `xmax`, the xid taken within 2^31 of it (as PostgreSQL widens an xid).
    /// `pg_current_snapshot()` assigns no transaction id.
    static let visibleVersionSQL = "SELECT (n.nx + ((lamps.xmin::text::bigint - (n.nx & 4294967295) + 2147483648) & 4294967295)"
        + " - 2147483648)::text, lamps.status FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS nx) n, lamps"
        + " WHERE lamps.id = $1"

    static func visibleVersion(key: Int64, on connection: Connection) throws -> Version? {
        guard let row = try connection.execute(visibleVersionSQL, [String(key)]).rows.first, let xid = row[0] else { return nil }
        return Version(xid: xid, status: row[1])
    }

    /// `pg_xact_status` of a version's writer now (nil: committed, or too old to tell).
    static func writer(of version: Version, on connection: Connection) throws -> RowWriter? {
        let status = try connection.execute("SELECT pg_xact_status($1::text::xid8)", [version.xid]).rows.first?.first ?? nil
        return RowWriter(pgXactStatus: status)
    }
}

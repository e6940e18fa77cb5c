import LampApp
import LampSession
import Postgres

/// The lamp commands' logic (`create`, `switch-on`, `read`, `list`), returning values to print.
public enum LampCommands {
    /// One lamp as `read` and `list` show it.
    public struct LampRow: Sendable, Equatable {
        public var id: Int64
        public var status: String
    }

    /// Inserts a lamp through a session (add + commit) and returns it.
    public static func create(status: String?, in database: Database) throws -> LampRow {
        let connection = try database.connectToLamps()
        defer { connection.close() }
        let session = SQLAlchemySession(connection: connection, options: .init(expireOnCommit: false))
        let lamp = Lamp.new(status: status)
        try session.add(lamp)
        try session.commit()
        return LampRow(id: lamp.key ?? 0, status: try lamp.status() ?? "")
    }

    /// The application's endpoint with its own session.
    public static func switchOn(id: Int64, in database: Database) throws -> SwitchOn.Response {
        let connection = try database.connectToLamps()
        defer { connection.close() }
        let provider = SessionProvider.own { SQLAlchemySession(connection: connection) }
        return try SwitchOn.handle(id: id, provider: provider)
    }

    /// The committed status, read outside any session.
    public static func read(id: Int64, in database: Database) throws -> LampRow {
        let connection = try database.connectToLamps()
        defer { connection.close() }
        let result = try connection.execute("SELECT status FROM lamps WHERE id = $1", [String(id)])
        guard let status = result.rows.first?.first ?? nil else { throw LampAppError.lampNotFound(id) }
        return LampRow(id: id, status: status)
    }

    /// Every lamp, by id.
    public static func list(in database: Database) throws -> [LampRow] {
        let connection = try database.connectToLamps()
        defer { connection.close() }
        let result = try connection.execute("SELECT id, status FROM lamps ORDER BY id")
        return result.rows.map { LampRow(id: Int64($0[0] ?? "") ?? 0, status: $0[1] ?? "") }
    }
}

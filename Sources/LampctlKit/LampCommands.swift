public import LampApp
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

    /// The application's endpoint with its own session. On a database without lampctl's schema
    /// the lamp cannot exist: 'not found', and nothing is created.
    public static func switchOn(id: Int64, in database: Database) throws -> SwitchOn.Response {
        guard let connection = try connectIfLampsExist(database) else { throw LampAppError.lampNotFound(id) }
        defer { connection.close() }
        let provider = SessionProvider.own { SQLAlchemySession(connection: connection) }
        return try SwitchOn.handle(id: id, provider: provider)
    }

    /// The committed status, read outside any session (creates nothing).
    public static func read(id: Int64, in database: Database) throws -> LampRow {
        guard let connection = try connectIfLampsExist(database) else { throw LampAppError.lampNotFound(id) }
        defer { connection.close() }
        let result = try connection.execute("SELECT status FROM lamps WHERE id = $1", [String(id)])
        guard let status = result.rows.first?.first ?? nil else { throw LampAppError.lampNotFound(id) }
        return LampRow(id: id, status: status)
    }

    /// Every lamp, by id (none, and nothing created, when lampctl's schema does not exist).
    public static func list(in database: Database) throws -> [LampRow] {
        guard let connection = try connectIfLampsExist(database) else { return [] }
        defer { connection.close() }
        let result = try connection.execute("SELECT id, status FROM lamps ORDER BY id")
        return result.rows.map { LampRow(id: Int64($0[0] ?? "") ?? 0, status: $0[1] ?? "") }
    }

    /// A connection on lampctl's schema when it exists (and is lampctl's), else nil: read-only
    /// commands never create it.
    static func connectIfLampsExist(_ database: Database) throws -> Connection? {
        let connection = try database.connect()
        LockWaitNotice.attach(to: connection, database: database)
        do {
            let schema = LampSchema.defaultName
            guard let comment = try LampSchema.comment(of: schema, on: connection) else {
                connection.close()
                return nil
            }
            guard comment == LampSchema.marker else { throw LampAppError.foreignSchema(schema) }
            try LampSchema.use(schema, on: connection)
            return connection
        } catch {
            connection.close()
            throw error
        }
    }
}

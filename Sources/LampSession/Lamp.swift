/// The one model lampctl maps: `lamps(id integer identity primary key, status text not null default 'off')`.
public enum Lamp {
    public static let model = ModelDescription(
        table: "lamps", primaryKey: "id", columns: ["status"], serverDefaults: ["status"])

    /// A new transient lamp; with no status, the server default (`off`) applies at INSERT.
    public static func new(status: String? = nil) -> ORMObject {
        ORMObject(model: model, values: status.map { ["status": .some($0)] } ?? [:])
    }
}

extension ORMObject {
    /// The lamp's status (loads it if expired; see `value(_:)`).
    public func status() throws -> String? { try value("status") }

    /// Sets the lamp's status in memory.
    public func setStatus(_ status: String) { set("status", status) }
}

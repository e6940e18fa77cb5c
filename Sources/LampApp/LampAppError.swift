/// Errors of the application layer that are not database errors.
public enum LampAppError: Error, Equatable, Sendable, CustomStringConvertible {
    case lampNotFound(Int64)
    /// A schema of lampctl's name exists but lampctl did not create it.
    case foreignSchema(String)

    public var description: String {
        switch self {
        case let .lampNotFound(id):
            return "lamp \(id) not found"
        case let .foreignSchema(schema):
            return "schema \"\(schema)\" exists but was not created by lampctl; lampctl will not touch it"
        }
    }
}

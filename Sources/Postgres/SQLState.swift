/// A PostgreSQL SQLSTATE code (five characters), with names for the codes lampctl cares about.
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public static let uniqueViolation = SQLState("23505")
    public static let syntaxError = SQLState("42601")
    public static let undefinedTable = SQLState("42P01")
    public static let insufficientPrivilege = SQLState("42501")
    public static let serializationFailure = SQLState("40001")
    public static let deadlockDetected = SQLState("40P01")
    public static let queryCanceled = SQLState("57014")
    public static let adminShutdown = SQLState("57P01")
    public static let lockNotAvailable = SQLState("55P03")
    public static let duplicateSchema = SQLState("42P06")
    public static let duplicateObject = SQLState("42710")
    public static let numericValueOutOfRange = SQLState("22003")
    public static let checkViolation = SQLState("23514")

    /// Class 08: the connection is gone or could not be made.
    public var isConnectionException: Bool { rawValue.hasPrefix("08") }
}

/// A PostgreSQL SQLSTATE code (five characters), with names for the codes lampctl tells apart.
///
/// Codes are matched by class where a class says enough (`isConnectionException`); only the codes
/// some code path or test names have a constant here (the busy-server ones are beside
/// `BusyServerWait`).
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    /// The class: the first two characters (`08` connection exception, `57` operator intervention, ...).
    public var errorClass: Substring { rawValue.prefix(2) }

    public static let serializationFailure = SQLState("40001")
    public static let deadlockDetected = SQLState("40P01")
    public static let uniqueViolation = SQLState("23505")
    public static let lockNotAvailable = SQLState("55P03")
    public static let syntaxError = SQLState("42601")
    public static let insufficientPrivilege = SQLState("42501")
    public static let queryCanceled = SQLState("57014")
    public static let readOnlySQLTransaction = SQLState("25006")
    public static let adminShutdown = SQLState("57P01")
    public static let crashShutdown = SQLState("57P02")

    /// Class 08: the connection is gone or could not be made.
    public var isConnectionException: Bool { errorClass == "08" }

    /// The server ended or refused the backend: 57P01 admin shutdown, 57P02 crash shutdown,
    /// 57P03 cannot connect now (not 57014, a cancelled statement on a live connection).
    public var isServerShutdown: Bool { [.adminShutdown, .crashShutdown, .cannotConnectNow].contains(self) }
}

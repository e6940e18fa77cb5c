// TEMPORARY STUB until the LocalServer branch is merged.
import Foundation
public struct LocalServerConfiguration: Sendable {
    public var home: String
    public var binDir: String?
    public var executable: String
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> LocalServerConfiguration {
        LocalServerConfiguration(home: "/tmp/x", binDir: nil, executable: "")
    }
}
public struct LocalServerError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public var description: String { message }
}
public final class LocalServerLease: @unchecked Sendable {
    public let connectionString: String = ""
    public func release() {}
}
public struct LocalServerStatus: Sendable, Equatable {
    public var running: Bool
    public var kept: Bool
    public var postmasterPID: Int32?
    public var dataDirectory: String
    public var socketDirectory: String
    public var connectionString: String
    public var initialised: Bool
}
public enum LocalServer {
    public static func acquire(_ config: LocalServerConfiguration) throws -> LocalServerLease { throw LocalServerError(message: "stub") }
    public static func start(_ config: LocalServerConfiguration) throws -> LocalServerStatus { throw LocalServerError(message: "stub") }
    public static func stop(_ config: LocalServerConfiguration) throws -> Bool { false }
    public static func status(_ config: LocalServerConfiguration) -> LocalServerStatus { fatalError() }
    public static func reset(_ config: LocalServerConfiguration) throws {}
    public static func connectionString(_ config: LocalServerConfiguration) -> String { "" }
    public static func runSupervisor(arguments: [String]) -> Never { fatalError() }
}

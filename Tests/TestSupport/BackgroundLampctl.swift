public import Foundation

/// A lampctl process running in the background, whose stderr can be watched while it runs.
public final class BackgroundLampctl: Sendable {
    public typealias Timeout = TestProcess.Timeout
    private let child: TestProcess

    public init(_ arguments: [String], environment: [String: String?] = [:]) throws {
        child = try TestProcess(LampctlProcess.binary, arguments, environment: LampctlProcess.environment(environment))
    }

    public var pid: Int32 { child.pid }
    public var stderr: String { child.stderr }
    public var stdout: String { child.stdout }

    public func waitForStderr(containing text: String, timeout: TimeInterval) throws {
        try child.waitForStderr(containing: text, timeout: timeout)
    }

    /// Waits for the exit status (killing the process if it outlives the timeout).
    public func wait(timeout: TimeInterval) throws -> Int32 {
        try child.wait(timeout: timeout).status
    }
}

import Foundation
import Postgres

/// Runs the built `lampctl` binary (the sibling of the test runner in the build products folder).
public enum LampctlProcess {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The built binary.
    public static var binary: String {
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        // On Linux the test runner is `<products>/lampctlPackageTests.xctest`; be tolerant of bundles.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("lampctl").path),
              directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("lampctl").path
    }

    /// Runs lampctl with `arguments`; `environment` entries are added to (or, with nil, removed
    /// from) the current environment. `DATABASE_URL` is removed unless given.
    public static func run(_ arguments: [String], environment: [String: String?] = [:], input: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = Self.environment(environment)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes concurrently so a full pipe cannot block the child.
        let errorData = ReadBox()
        let errorThread = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        errorThread.start()
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.done { usleep(1000) }
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: outputData, as: UTF8.self),
                      stderr: String(decoding: errorData.data, as: UTF8.self))
    }

    /// The test process's environment without DATABASE_URL and libpq's PG* variables (which
    /// would choose the database), with NO_COLOR, plus `changes` (a nil value removes the variable).
    public static func environment(_ changes: [String: String?]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["DATABASE_URL"] = nil
        for variable in ConnectionOptionCatalog.environmentVariables { env[variable] = nil }
        env["NO_COLOR"] = "1"
        for (key, value) in changes { env[key] = value }
        return env
    }

    /// Runs lampctl against the test database.
    public static func runOnTestDatabase(_ arguments: [String]) throws -> Output {
        try run(arguments, environment: ["DATABASE_URL": try TestDatabase.url])
    }
}

final class ReadBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _data = Data()
    private var _done = false
    func set(_ data: Data) { lock.lock(); _data = data; _done = true; lock.unlock() }
    var done: Bool { lock.lock(); defer { lock.unlock() }; return _done }
    var data: Data { lock.lock(); defer { lock.unlock() }; return _data }
}

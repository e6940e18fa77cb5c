import Foundation
import Postgres

/// Runs the built `lampctl` binary (the sibling of the test runner in the build products folder).
public enum LampctlProcess {
    public typealias Output = TestProcess.Output

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
        try TestProcess.run(binary, arguments, environment: Self.environment(environment), input: input)
    }

    /// The test process's environment without DATABASE_URL and libpq's PG* variables (which
    /// would choose the database), with NO_COLOR and LAMPCTL_INITDB_TEMPLATE, plus `changes` (a
    /// nil value removes the variable).
    public static func environment(_ changes: [String: String?]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["DATABASE_URL"] = nil
        for variable in ConnectionOptionCatalog.environmentVariables { env[variable] = nil }
        env["NO_COLOR"] = "1"
        // A new LAMPCTL_HOME copies the initdb template (a test about initdb itself removes it).
        if !TestMode.isFast, let template = try? InitdbTemplateHome.dataDirectory() { env["LAMPCTL_INITDB_TEMPLATE"] = template }
        for (key, value) in changes { env[key] = value }
        return env
    }

    /// Runs lampctl against the test database.
    public static func runOnTestDatabase(_ arguments: [String]) throws -> Output {
        try run(arguments, environment: ["DATABASE_URL": try TestDatabase.url])
    }
}

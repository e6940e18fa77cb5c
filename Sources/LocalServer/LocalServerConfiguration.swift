public import Foundation
import Glibc

/// Where the embedded default server keeps its state and how to run it.
public struct LocalServerConfiguration: Sendable {
    /// The state directory (`LAMPCTL_HOME`): data directory, lock files, log.
    public var home: String
    /// Directory holding `initdb` and `postgres` (`LAMPCTL_PG_BINDIR`); searched for when nil.
    public var binDir: String?
    /// The executable spawned as supervisor (`<executable> _supervise ...`).
    public var executable: String
    /// A data directory made by lampctl's initdb that a new cluster copies instead of running
    /// initdb (`LAMPCTL_INITDB_TEMPLATE`): test suites that make many homes. Nil: initdb.
    public var initdbTemplate: String?
    /// Told once, with a line saying what for, when starting, stopping or a lock waits over a
    /// second (the CLI prints it on stderr). Nil: silent.
    public var onWait: (@Sendable (String) -> Void)?

    public init(home: String, binDir: String? = nil, executable: String = LocalServerConfiguration.currentExecutable()) {
        self.home = home
        self.binDir = binDir
        self.executable = executable
    }

    /// `LAMPCTL_HOME` or the default home, `LAMPCTL_PG_BINDIR`, and the running executable.
    public static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment
    ) -> LocalServerConfiguration {
        let home = env["LAMPCTL_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultHome(env)
        let binDir = env["LAMPCTL_PG_BINDIR"].flatMap { $0.isEmpty ? nil : $0 }
        var configuration = LocalServerConfiguration(home: home, binDir: binDir)
        configuration.initdbTemplate = env["LAMPCTL_INITDB_TEMPLATE"].flatMap { $0.isEmpty ? nil : $0 }
        return configuration
    }

    /// root: `/var/lib/lampctl` (root's home is not reachable by the `postgres` user);
    /// others: `${XDG_STATE_HOME:-$HOME/.local/state}/lampctl`.
    public static func defaultHome(_ env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if geteuid() == 0 { return "/var/lib/lampctl" }
        if let state = env["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/lampctl" }
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/state/lampctl"
    }

    /// The running executable, resolved from `/proc/self/exe`.
    public static func currentExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return CommandLine.arguments.first ?? "lampctl" }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

import Foundation
import Glibc
@testable import LocalServer
import TestSupport

/// A private LAMPCTL_HOME under /tmp for one test; `cleanUp()` stops its server and removes it.
final class TestHome {
    let path: String
    let config: LocalServerConfiguration

    /// The package's built `lampctl`, next to the test bundle in the build products directory.
    static var lampctl: String { LampctlProcess.binary }

    init(prefix: String = TestScratch.directory + "/lst-") {
        var template = Array((prefix + "XXXXXX").utf8CString)
        path = String(cString: mkdtemp(&template)!)
        chmod(path, 0o755)  // the server user (postgres, when root) must reach it
        var config = LocalServerConfiguration(home: path, executable: Self.lampctl)
        config.initdbTemplate = try? InitdbTemplateHome.dataDirectory()
        self.config = config
    }

    var paths: StateDirectory { StateDirectory(home: path) }
    var dataDirectory: String { paths.dataDirectory }
    var socketDirectory: String { paths.socketDirectory }
    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["LAMPCTL_HOME"] = path
        return env
    }

    /// How many times initdb ran for this home.
    var initdbRuns: Int {
        let text = (try? String(contentsOfFile: paths.initdbLog, encoding: .utf8)) ?? ""
        return text.components(separatedBy: "== lampctl: initdb").count - 1
    }

    func cleanUp() {
        _ = try? LocalServer.stop(config)
        _ = waitUntil(timeout: 5) { postmasters().isEmpty }
        for pid in postmasters() { kill(pid, SIGKILL) }
        if socketDirectory.hasPrefix("/tmp/lampctl-") { try? FileManager.default.removeItem(atPath: socketDirectory) }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Live postmasters (not backends, not zombies) of this home's data directory.
    func postmasters() -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { Postmaster.isPostmaster($0, of: dataDirectory) }
    }

    /// `psql -At -c sql` against this home's socket; its output, or nil when it fails.
    func psql(_ sql: String) -> String? {
        guard let result = try? TestProcess.run("/usr/bin/psql", ["-h", socketDirectory, "-U", "postgres", "-d", "postgres", "-At", "-c", sql]),
              result.status == 0 else { return nil }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts `lampctl <arguments>` with LAMPCTL_HOME set and default signal dispositions (the
    /// test runner may ignore SIGINT, and a Foundation `Process` would inherit that).
    func lampctl(_ arguments: [String]) throws -> Client {
        var fds: [Int32] = [-1, -1]
        guard GNU.cloexecPipe(&fds) == 0 else { throw LocalServerError.system("pipe") }
        defer { close(fds[1]) }
        let pid = try Spawn.spawn(Self.lampctl, arguments, environment: environment, fileActions: [
            .open(target: 0, path: "/dev/null", flags: O_RDONLY),
            .dup(source: fds[1], target: 1),
            .open(target: 2, path: "/dev/null", flags: O_WRONLY),
        ])
        return Client(pid: pid, stdout: fds[0])
    }
}

/// A `lampctl` child process and the read end of its stdout.
struct Client {
    let pid: pid_t
    let stdout: Int32

    /// The first line it prints (blocking).
    func firstLine() -> String {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(stdout, &byte, 1) == 1 && byte != UInt8(ascii: "\n") { bytes.append(byte) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Waits for it to exit; its exit code (128 + signal when killed).
    @discardableResult
    func wait() -> Int32 {
        defer { close(stdout) }
        return Spawn.wait(pid)
    }
}

/// Polls `condition` every 5 ms until it holds (true) or `timeout` seconds pass (false).
func waitUntil(timeout: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}


import Foundation
import LocalServer
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway `LAMPCTL_HOME` under /tmp: `<dir>/home`, not created until lampctl creates it
/// (so the first use is a cold start). `remove()` stops its server and deletes everything.
final class TemporaryHome {
    /// The mkdtemp directory holding the home (and scratch files for child output).
    let directory: String
    let configuration: LocalServerConfiguration

    var home: String { configuration.home }

    /// `lampctl` is the supervisor executable for servers started in process.
    init(lampctl: String) throws {
        var template = Array("/tmp/lampctl-bench-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchError("cannot create a directory in /tmp") }
        directory = String(cString: made)
        // When root, the server runs as `postgres`, which must be able to enter the home's parent.
        chmod(directory, 0o755)
        let environment = ProcessInfo.processInfo.environment
        configuration = LocalServerConfiguration(
            home: directory + "/home", binDir: environment["LAMPCTL_PG_BINDIR"].flatMap { $0.isEmpty ? nil : $0 },
            executable: lampctl)
    }

    /// Waits (polling every millisecond, at most `timeout` seconds) until no supervisor or postmaster of this home is alive.
    func waitUntilStopped(timeout: Double = 10) throws {
        let deadline = Stopwatch.now() + timeout
        while !LocalServer.isStopped(configuration) {
            guard Stopwatch.now() < deadline else { throw BenchError("the server of \(home) did not stop within \(Int(timeout)) s") }
            usleep(1000)
        }
    }

    /// Stops the home's servers if they run, and waits until they have.
    func stop() {
        guard access(directory, F_OK) == 0 else { return }
        _ = try? LocalServer.stop(configuration)
        try? waitUntilStopped()
    }

    /// Stops the servers, then deletes the directory. Safe to call twice.
    func remove() {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { remove() }
}

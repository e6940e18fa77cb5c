import Foundation
import Glibc

/// The client side of the supervisor: spawning one and waiting for its report.
enum SupervisorLauncher {
    static let readyTimeout = Supervisor.startTimeout + 10

    /// Spawns `<executable> _supervise ...` in a new session, handing it `supervisorLock`
    /// (already locked by us, so there is no moment without it) and a pipe it reports on.
    /// Returns once the server is ready; throws the supervisor's error otherwise.
    static func launch(_ context: ServerContext, _ binaries: ServerBinaries, keep: Bool,
                       supervisorLock: FileLock) throws -> pid_t {
        context.paths.rotateLog()
        var fds: [Int32] = [-1, -1]
        guard GNU.cloexecPipe(&fds) == 0 else { throw LocalServerError.system("cannot create a pipe") }
        defer { close(fds[0]) }
        var arguments = ["_supervise", "--home", context.paths.home, "--cluster", context.paths.cluster.name,
                         "--bindir", binaries.directory,
                         "--notify-fd", "3", "--lock-fd", "4"]
        if keep { arguments.append("--keep") }
        let pid: pid_t
        do {
            pid = try Spawn.spawn(context.configuration.executable, arguments, fileActions: [
                .open(target: 0, path: "/dev/null", flags: O_RDONLY),
                .open(target: 1, path: "/dev/null", flags: O_WRONLY),
                .open(target: 2, path: context.paths.logFile, flags: O_WRONLY | O_CREAT | O_APPEND),
                .dup(source: fds[1], target: 3),
                .dup(source: supervisorLock.fd, target: 4),
            ], newSession: true, blockedSignals: Supervisor.signals)
        } catch {
            close(fds[1])
            throw error
        }
        close(fds[1])
        reapInBackground(pid)

        let notice = WaitNotice("waiting for the PostgreSQL server to start (log \(context.paths.logFile))",
                                report: context.configuration.onWait)
        let report = readLine(fds[0], timeout: readyTimeout, notice: notice)
        if let report, report.hasPrefix("ready") { return pid }
        if let report, report.hasPrefix("error ") { throw LocalServerError(String(report.dropFirst(6))) }
        if report == nil, Postmaster.isAlive(pid) {
            _ = kill(pid, SIGTERM)
            throw LocalServerError("the local PostgreSQL server did not start within \(Int(readyTimeout)) s: see \(context.paths.logFile)")
        }
        let reason = context.paths.lastLogError().map { ": \($0)" } ?? ""
        throw LocalServerError("the local server supervisor (\(context.configuration.executable)) exited before the server was ready (log \(context.paths.logFile))\(reason)")
    }

    /// The supervisor is our child until it exits; reap it so it does not linger as a zombie.
    private static func reapInBackground(_ pid: pid_t) {
        Thread.detachNewThread { _ = Spawn.wait(pid) }
    }

    /// One line from `fd`, waiting at most `timeout` seconds; nil on timeout, "" on bare EOF.
    private static func readLine(_ fd: Int32, timeout: Double, notice: WaitNotice) -> String? {
        let deadline = MonotonicClock.now + timeout
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let remaining = deadline - MonotonicClock.now
            if remaining <= 0 { return nil }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            notice.tick()
            let ready = poll(&entry, 1, Int32(min(remaining, 0.25) * 1000) + 1)
            if ready < 0 && errno != EINTR { return "" }
            if ready <= 0 { continue }
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return String(decoding: bytes, as: UTF8.self) }
            bytes += buffer[0..<count]
            if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
                return String(decoding: bytes[..<newline], as: UTF8.self)
            }
        }
    }
}

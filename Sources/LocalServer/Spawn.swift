import Foundation
import Glibc

/// Starts processes with `posix_spawn` from an argument array (never a shell).
enum Spawn {
    /// What a child's descriptor `target` refers to.
    enum FileAction {
        /// `open(path, flags, mode)` as `target`.
        case open(target: Int32, path: String, flags: Int32, mode: mode_t = 0o644)
        /// `dup2(source, target)` (clears close-on-exec on `target`).
        case dup(source: Int32, target: Int32)
    }

    /// Signals that children always start with at their default disposition.
    static let defaultSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGCHLD]

    /// Spawns `path` with `arguments` (argv[0] is `path`), in `workingDirectory`, with an
    /// empty environment apart from `environment`. The child's signal mask is `blockedSignals`;
    /// it gets only descriptors 0-2 and the targets of `fileActions`.
    static func spawn(
        _ path: String, _ arguments: [String],
        environment: [String: String] = Spawn.serverEnvironment,
        fileActions: [FileAction] = [],
        newSession: Bool = false,
        blockedSignals: [Int32] = [],
        workingDirectory: String = "/"
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        for action in fileActions {
            switch action {
            case let .open(target, path, flags, mode):
                posix_spawn_file_actions_addopen(&actions, target, path, flags, mode)
            case let .dup(source, target):
                posix_spawn_file_actions_adddup2(&actions, source, target)
            }
        }
        let highest = fileActions.map { action -> Int32 in
            switch action {
            case let .open(target, _, _, _): return target
            case let .dup(_, target): return target
            }
        }.max() ?? 2
        GNU.addCloseFrom(&actions, max(highest, 2) + 1)
        _ = GNU.addChdir(&actions, workingDirectory)

        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in defaultSignals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in blockedSignals { sigaddset(&mask, signal) }
        posix_spawnattr_setsigmask(&attributes, &mask)
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if newSession { flags |= GNU.spawnSetSID }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        if result != 0 { throw LocalServerError.system("cannot run \(path)", result) }
        return pid
    }

    /// A small, predictable environment for the server's processes: no PG* variables
    /// (PGPORT would move the socket), messages in the C locale.
    static let serverEnvironment: [String: String] = {
        var env = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C"]
        if let tz = ProcessInfo.processInfo.environment["TZ"] { env["TZ"] = tz }
        return env
    }()

    /// Runs `program` to its end with stdin from /dev/null and stdout and stderr appended to
    /// `log`; returns its exit status.
    static func runLogged(_ program: String, _ arguments: [String], log: String) throws -> Int32 {
        wait(try spawn(program, arguments, fileActions: [
            .open(target: 0, path: "/dev/null", flags: O_RDONLY),
            .open(target: 1, path: log, flags: O_WRONLY | O_CREAT | O_APPEND),
            .dup(source: 1, target: 2),
        ]))
    }

    /// Waits for `pid` to exit; its exit status (128 + signal when killed).
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        return exitCode(status)
    }

    /// Reaps `pid` if it has exited; its exit code, or nil while it runs.
    static func poll(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid { return exitCode(status) }
        if result < 0 && errno == ECHILD { return -1 }
        return nil
    }

    static func exitCode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Runs a program to completion and returns its exit code and standard output.
    static func capture(_ path: String, _ arguments: [String]) throws -> (code: Int32, output: String) {
        var fds: [Int32] = [-1, -1]
        guard GNU.cloexecPipe(&fds) == 0 else { throw LocalServerError.system("cannot create a pipe") }
        let pid: pid_t
        do {
            pid = try spawn(path, arguments, fileActions: [
                .open(target: 0, path: "/dev/null", flags: O_RDONLY),
                .dup(source: fds[1], target: 1),
                .open(target: 2, path: "/dev/null", flags: O_WRONLY),
            ])
        } catch {
            close(fds[0]); close(fds[1])
            throw error
        }
        close(fds[1])
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fds[0], &buffer, buffer.count)
            if count > 0 { output += buffer[0..<count]; continue }
            if count < 0 && errno == EINTR { continue }
            break
        }
        close(fds[0])
        return (wait(pid), String(decoding: output, as: UTF8.self))
    }
}

import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The user's command under `lampctl watch`: started with the given environment and lampctl's
/// own standard input, output and error (its output passes through untouched), waited for.
/// While it runs, a signal that would end lampctl is passed on to it first (see `ActiveRun`).
enum WatchedCommand {
    /// The command's exit status; 128 + N when signal N ended it.
    static func run(_ command: [String], environment: [String: String]) throws -> Int32 {
        guard let program = command.first else { throw LampctlError("watch needs a command after --: lampctl watch -- pytest", status: .usage) }
        var pid: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child gets default signal handling (lampctl ignores SIGPIPE).
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let arguments = command.map { strdup($0) } + [nil]
        let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            arguments.forEach { free($0) }
            variables.forEach { free($0) }
        }
        let spawned = posix_spawnp(&pid, program, &actions, &attributes, arguments, variables)
        guard spawned == 0 else {
            let reason = spawned == ENOENT ? "command not found" : String(cString: strerror(spawned))
            throw LampctlError("watch: cannot run \(program): \(reason)", status: spawned == ENOENT ? .usage : .ioError)
        }
        ActiveRun.setChild(pid)
        defer { ActiveRun.setChild(nil) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { break }
        }
        // A signal stopped it: the signal's clean-up ends lampctl, with its own line and status.
        while ActiveRun.isStoppingChild { sleep(1) }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion (posix_spawn, no shell), timing it from spawn to reaped exit and
/// reading its peak resident set size from the `rusage` that `wait4` reaps it with.
struct ChildProcess {
    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
        var milliseconds: Double
        /// The child's peak resident set size (`ru_maxrss`), in kilobytes.
        var maxResidentKilobytes: Int

        /// The peak resident set size in megabytes (1,024 kilobytes).
        var maxResidentMegabytes: Double { Double(maxResidentKilobytes) / 1024 }
    }

    let program: String
    /// The full environment of the child.
    let environment: [String: String]
    /// Where the child's stdout and stderr are written (`<scratch>/stdout`, `<scratch>/stderr`).
    let scratch: String

    func run(_ arguments: [String]) throws -> Outcome {
        let stdoutPath = scratch + "/stdout", stderrPath = scratch + "/stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let start = Stopwatch.now()
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, envp)
        guard spawned == 0 else { throw BenchError("cannot run \(program): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError("wait4 \(pid) failed") }
        }
        let elapsed = (Stopwatch.now() - start) * 1000
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + status & 0x7f
        return Outcome(status: code,
                       standardOutput: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
                       standardError: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "",
                       milliseconds: elapsed, maxResidentKilobytes: Int(usage.ru_maxrss))
    }

    /// Runs and requires exit status 0.
    func succeed(_ arguments: [String]) throws -> Outcome {
        let outcome = try run(arguments)
        guard outcome.status == 0 else {
            throw BenchError("\(([program] + arguments).joined(separator: " ")) exited \(outcome.status): \(outcome.standardError.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return outcome
    }
}

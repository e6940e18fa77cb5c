public import Foundation
import Synchronization
@testable import LocalServer
#if canImport(Glibc)
import Glibc
#endif

/// The one child-process wrapper the test helpers share (lampctl, psql, ...): a child whose
/// stdout and stderr are collected by reader threads as it runs, so a full pipe never blocks it
/// and a test can watch its stderr while it runs. Started with posix_spawn (LocalServer's
/// `Spawn`: close-on-exec pipes, every other descriptor closed in the child), not Foundation's
/// `Process`, whose `run()` on Linux reads past a buffer now and then
/// (swift-corelibs-foundation#5472) and crashed a whole test run.
// @unchecked: `pid` and `command` are set in init and then read; the collected text and the
// exit status are guarded by `condition`.
public final class TestProcess: @unchecked Sendable {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public struct Timeout: Error, CustomStringConvertible {
        public var description: String
    }

    public let pid: Int32
    private let command: String
    /// Signalled once when the child exits (by the thread that reaps it).
    private let exited = DispatchSemaphore(value: 0)
    private let condition = NSCondition()
    private var output = Data(), errors = Data()
    private var openStreams = 2
    /// The exit status as Foundation's `Process` reported it: the exit code, or the signal's
    /// number; set by the reaping thread, which holds the box, not the TestProcess (so that
    /// dropping a TestProcess still kills its child in deinit).
    private let exit = ExitStatusBox()

    /// Starts `program` with `arguments`; `environment` replaces the whole environment when
    /// given. Standard input is `input`, or /dev/null.
    public init(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                input: String? = nil) throws {
        command = ([URL(fileURLWithPath: program).lastPathComponent] + arguments).joined(separator: " ")
        var out: [Int32] = [-1, -1], err: [Int32] = [-1, -1], inputPipe: [Int32] = [-1, -1]
        guard GNU.cloexecPipe(&out) == 0, GNU.cloexecPipe(&err) == 0, input == nil || GNU.cloexecPipe(&inputPipe) == 0 else {
            throw Timeout(description: "cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        let standardInput: Spawn.FileAction = input == nil
            ? .open(target: 0, path: "/dev/null", flags: O_RDONLY) : .dup(source: inputPipe[0], target: 0)
        do {
            pid = try Spawn.spawn(program, arguments, environment: environment ?? ProcessInfo.processInfo.environment,
                                  fileActions: [standardInput, .dup(source: out[1], target: 1), .dup(source: err[1], target: 2)],
                                  workingDirectory: FileManager.default.currentDirectoryPath)
        } catch {
            for descriptor in out + err + inputPipe where descriptor >= 0 { close(descriptor) }
            throw error
        }
        close(out[1])
        close(err[1])
        if input != nil { close(inputPipe[0]) }
        let child = pid
        Self.running.withLock { _ = $0.insert(child) }
        collect(out[0]) { $0.output.append($1) }
        collect(err[0]) { $0.errors.append($1) }
        if let input {
            let descriptor = inputPipe[1]
            Thread.detachNewThread {
                var bytes = Array(input.utf8)[...]
                while !bytes.isEmpty {
                    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                    if written < 0 && errno == EINTR { continue }
                    guard written > 0 else { break }
                    bytes = bytes.dropFirst(written)
                }
                close(descriptor)
            }
        }
        let (box, exited) = (exit, self.exited)
        Thread.detachNewThread {
            var raw: Int32 = 0
            while waitpid(child, &raw, 0) < 0 && errno == EINTR {}
            let signal = raw & 0x7F
            box.status.withLock { $0 = signal == 0 ? (raw >> 8) & 0xFF : signal }
            Self.running.withLock { _ = $0.remove(child) }
            exited.signal()
        }
    }

    /// The children started and not yet seen to exit, for `killAll`.
    private static let running = Mutex<Set<Int32>>([])

    /// Servers a test started itself (PasswordServer's postmaster), stopped by `killAll` with SIGINT.
    private static let servers = Mutex<Set<Int32>>([])

    /// `killAll` also stops `pid` (a postmaster the test process started) until `forget`.
    public static func adopt(server pid: Int32) { servers.withLock { _ = $0.insert(pid) } }
    public static func forget(server pid: Int32) { servers.withLock { _ = $0.remove(pid) } }

    /// LAMPCTL_HOMEs a test made, whose kept servers (`db start`) `killAll` stops.
    private static let homes = Mutex<Set<String>>([])

    public static func adopt(home: String) { homes.withLock { _ = $0.insert(home) } }
    public static func forget(home: String) { homes.withLock { _ = $0.remove(home) } }

    /// SIGKILLs every child still running, fast-stops the servers adopted and the kept servers of
    /// the homes adopted (the watchdog, before it ends the test process: a killed lampctl's
    /// supervisor then stops its server).
    public static func killAll() {
        running.withLock { pids in
            for pid in pids { kill(pid, SIGKILL) }
        }
        servers.withLock { pids in
            for pid in pids { kill(pid, SIGINT) }
        }
        for home in homes.withLock({ $0 }) {
            _ = try? TestProcess.run(LampctlProcess.binary, ["db", "stop", "--force"],
                                     environment: LampctlProcess.environment(["LAMPCTL_HOME": home]), timeout: 10)
        }
    }

    /// How long `run` waits for a child unless told otherwise.
    public static let defaultTimeout: TimeInterval = 120

    /// Runs `program` to completion, killing it (and throwing `Timeout`) after `timeout` seconds.
    public static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                           input: String? = nil, timeout: TimeInterval = defaultTimeout) throws -> Output {
        try TestProcess(program, arguments, environment: environment, input: input).wait(timeout: timeout)
    }

    public var stdout: String { condition.withLock { String(decoding: output, as: UTF8.self) } }
    public var stderr: String { condition.withLock { String(decoding: errors, as: UTF8.self) } }

    /// Waits until stderr contains `text`; throws if the process ends or `timeout` passes first.
    public func waitForStderr(containing text: String, timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !stderr.contains(text) {
            guard Date() < deadline, isRunning else {
                if stderr.contains(text) { return }
                throw Timeout(description: "no '\(text)' on stderr; got: \(stderr)")
            }
            usleep(5_000)
        }
    }

    /// Waits for the exit and the end of both streams (killing the process if it outlives the timeout).
    public func wait(timeout: TimeInterval) throws -> Output {
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            kill(pid, SIGKILL)
            throw Timeout(description: "\(command) still running after \(timeout) s; stderr: \(stderr)")
        }
        exited.signal()  // a later wait returns at once
        condition.lock()
        while openStreams > 0 { condition.wait() }
        condition.unlock()
        return Output(status: exit.status.withLock { $0 ?? -1 }, stdout: stdout, stderr: stderr)
    }

    private var isRunning: Bool { exit.status.withLock { $0 == nil } }

    deinit {
        if isRunning { kill(pid, SIGKILL) }
    }

    /// Reads `descriptor` to its end on a thread of its own, appending under the lock, then closes it.
    private func collect(_ descriptor: Int32, _ append: @escaping @Sendable (TestProcess, Data) -> Void) {
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(descriptor, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                let data = count > 0 ? Data(buffer[0..<count]) : Data()
                condition.lock()
                if data.isEmpty {
                    close(descriptor)
                    openStreams -= 1
                    condition.broadcast()
                    condition.unlock()
                    return
                }
                append(self, data)
                condition.unlock()
            }
        }
    }
}

/// A child's exit status, shared by its TestProcess and the thread that reaps it.
final class ExitStatusBox: Sendable {
    let status = Mutex<Int32?>(nil)
}

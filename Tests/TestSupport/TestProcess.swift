public import Foundation
import Synchronization

/// The one `Process` wrapper the test helpers share (lampctl, psql, ...): a child whose stdout
/// and stderr are collected by reader threads as it runs, so a full pipe never blocks it and
/// a test can watch its stderr while it runs.
// @unchecked: `process` is only started in init and then read; the collected text is guarded by `condition`.
public final class TestProcess: @unchecked Sendable {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public struct Timeout: Error, CustomStringConvertible {
        public var description: String
    }

    private let process = Process()
    /// Signalled once when the child exits (by Foundation's termination handler).
    private let exited = DispatchSemaphore(value: 0)
    private let condition = NSCondition()
    private var output = Data(), errors = Data()
    private var openStreams = 2

    /// Starts `program` with `arguments`; `environment` replaces the whole environment when
    /// given. Standard input is `input`, or /dev/null.
    public init(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                input: String? = nil) throws {
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inputPipe = input.map { _ in Pipe() }
        process.standardInput = inputPipe ?? FileHandle.nullDevice
        process.terminationHandler = { [exited] child in
            Self.running.withLock { _ = $0.remove(child.processIdentifier) }
            exited.signal()
        }
        try process.run()
        Self.running.withLock { _ = $0.insert(process.processIdentifier) }
        collect(out.fileHandleForReading) { $0.output.append($1) }
        collect(err.fileHandleForReading) { $0.errors.append($1) }
        if let inputPipe, let input {
            let handle = inputPipe.fileHandleForWriting
            Thread.detachNewThread {
                try? handle.write(contentsOf: Data(input.utf8))
                try? handle.close()
            }
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

    public var pid: Int32 { process.processIdentifier }
    public var stdout: String { condition.withLock { String(decoding: output, as: UTF8.self) } }
    public var stderr: String { condition.withLock { String(decoding: errors, as: UTF8.self) } }

    /// Waits until stderr contains `text`; throws if the process ends or `timeout` passes first.
    public func waitForStderr(containing text: String, timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !stderr.contains(text) {
            guard Date() < deadline, process.isRunning else {
                if stderr.contains(text) { return }
                throw Timeout(description: "no '\(text)' on stderr; got: \(stderr)")
            }
            usleep(5_000)
        }
    }

    /// Waits for the exit and the end of both streams (killing the process if it outlives the timeout).
    public func wait(timeout: TimeInterval) throws -> Output {
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            throw Timeout(description: "\(process.executableURL?.lastPathComponent ?? "child") \((process.arguments ?? []).joined(separator: " ")) still running after \(timeout) s; stderr: \(stderr)")
        }
        exited.signal()  // a later wait returns at once
        condition.lock()
        while openStreams > 0 { condition.wait() }
        condition.unlock()
        return Output(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Reads `handle` to its end on a thread of its own, appending under the lock.
    private func collect(_ handle: FileHandle, _ append: @escaping @Sendable (TestProcess, Data) -> Void) {
        Thread.detachNewThread { [self] in
            while true {
                let data = handle.availableData
                condition.lock()
                if data.isEmpty {
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

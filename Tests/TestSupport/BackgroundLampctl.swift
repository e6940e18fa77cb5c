import Foundation

/// A lampctl process running in the background, whose stderr can be watched while it runs.
public final class BackgroundLampctl: @unchecked Sendable {
    private let process = Process()
    private let errorPipe = Pipe()
    private let lock = NSLock()
    private var errorText = ""
    private var outputText = ""

    public init(_ arguments: [String], environment: [String: String?] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: LampctlProcess.binary)
        process.arguments = arguments
        process.environment = LampctlProcess.environment(environment)
        let outputPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        process.standardInput = FileHandle.nullDevice
        errorPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock(); self.errorText += String(decoding: data, as: UTF8.self); self.lock.unlock()
        }
        outputPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock(); self.outputText += String(decoding: data, as: UTF8.self); self.lock.unlock()
        }
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var stderr: String { lock.lock(); defer { lock.unlock() }; return errorText }
    public var stdout: String { lock.lock(); defer { lock.unlock() }; return outputText }

    public struct Timeout: Error, CustomStringConvertible {
        public var description: String
    }

    public func waitForStderr(containing text: String, timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !stderr.contains(text) {
            guard Date() < deadline, process.isRunning || stderr.contains(text) else {
                throw Timeout(description: "no '\(text)' on stderr; got: \(stderr)")
            }
            usleep(5_000)
        }
    }

    /// Waits for the exit status (killing the process if it outlives the timeout).
    public func wait(timeout: TimeInterval) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            guard Date() < deadline else {
                process.terminate()
                throw Timeout(description: "still running after \(timeout) s; stderr: \(stderr)")
            }
            usleep(5_000)
        }
        usleep(20_000)  // let the readability handlers drain
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        errorPipe.fileHandleForReading.readabilityHandler = nil
    }
}

import Foundation
import TestSupport

/// Runs lampctl with its standard streams set up as a shell would: stdin from a text, stdout to a
/// given file (e.g. /dev/full) or a pipe, and optionally under `umask` (through /bin/sh, so the
/// test process's own umask is never changed).
enum RedirectedLampctl {
    struct Output {
        var pid: Int32
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], environment: [String: String?] = [:], input: String? = nil,
                    standardOutput: FileHandle? = nil, umask: String? = nil, directory: String? = nil) throws -> Output {
        let process = Process()
        if let umask {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "umask \(umask) && exec \"$0\" \"$@\"", LampctlProcess.binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: LampctlProcess.binary)
            process.arguments = arguments
        }
        process.environment = LampctlProcess.environment(environment)
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe(), inputPipe = Pipe()
        process.standardOutput = standardOutput ?? out
        process.standardError = err
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        if let input {
            try inputPipe.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try inputPipe.fileHandleForWriting.close()
        }
        // Neither pipe may fill up and block the child: read stderr on its own thread.
        let errorData = Locked(Data())
        let errorThread = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        errorThread.start()
        let outputData = standardOutput == nil ? out.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        return Output(pid: process.processIdentifier, status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
                      stderr: String(decoding: errorData.value, as: UTF8.self))
    }
}

/// A value set once by another thread.
final class Locked: @unchecked Sendable {  // every access goes through `lock`
    private let lock = NSLock()
    private var data: Data
    private var done = false
    init(_ data: Data) { self.data = data }
    func set(_ value: Data) { lock.lock(); data = value; done = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return done }
    var value: Data { lock.lock(); defer { lock.unlock() }; return data }
}

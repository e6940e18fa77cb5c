import Foundation

/// Where a command's output goes: stdout, or a file written whole at the end (to a temporary
/// file renamed into place, so an error or interruption never leaves a half-written file).
public final class OutputSink {
    private let path: String?
    private var buffer = ""

    public init(path: String?) throws {
        self.path = path
        if let path {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory, isDirectory: &isDirectory),
                  isDirectory.boolValue else {
                throw LampctlError("--output \(path): the directory does not exist", status: .ioError)
            }
        }
    }

    /// True when writing to a terminal (colour is then allowed).
    public var isTerminal: Bool { path == nil && Terminal.isTerminal(1) }

    public func write(_ text: String) {
        guard !text.isEmpty else { return }
        if path == nil {
            FileHandle.standardOutput.write(Data(text.utf8))
        } else {
            buffer += text
        }
    }

    /// Writes the file (no-op for stdout).
    public func commit() throws {
        guard let path else { return }
        let temporary = path + ".lampctl-\(getpid()).tmp"
        do {
            try Data(buffer.utf8).write(to: URL(fileURLWithPath: temporary))
            if FileManager.default.fileExists(atPath: path) {
                _ = try FileManager.default.replaceItemAt(URL(fileURLWithPath: path), withItemAt: URL(fileURLWithPath: temporary))
            } else {
                try FileManager.default.moveItem(atPath: temporary, toPath: path)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw LampctlError("--output \(path): cannot write: \(error.localizedDescription)", status: .ioError)
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

    /// True once stdout was closed by its reader (e.g. `lampctl scenario --json | head -1`):
    /// further output is dropped and the run still ends cleanly.
    public private(set) var readerGone = false

    public func write(_ text: String) {
        guard !text.isEmpty else { return }
        guard path == nil else {
            buffer += text
            return
        }
        guard !readerGone else { return }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                readerGone = true  // EPIPE (SIGPIPE is ignored) or another write error
                return
            }
            offset += written
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

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a command's output goes: standard output (written as it comes), or `--output PATH`,
/// written whole at the end the way a shell redirection would, but without ever destroying what
/// is at the path (see `OutputPath`): a regular file is replaced atomically, a FIFO or device is
/// written through, a directory is refused, nothing is removed.
public final class OutputSink {
    private let path: String?
    private var buffer = ""
    private var standardOutputError: Int32?

    /// Checks `path` at once (so a directory or a missing parent is refused before any work);
    /// `nil` or `-` mean standard output.
    public init(path: String?) throws {
        self.path = path == "-" ? nil : path
        if let target = self.path { _ = try OutputPath.resolve(target) }
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
        guard !readerGone, standardOutputError == nil else { return }
        if let failure = FileDescriptorWriter.write(text, to: 1) {
            if failure == EPIPE { readerGone = true } else { standardOutputError = failure }
        }
    }

    /// Writes the file, or reports a failed write on standard output (other than a reader that
    /// went away): both are an I/O error (exit 74).
    public func commit() throws {
        guard let path else {
            if let standardOutputError {
                throw LampctlError("standard output: cannot write: \(String(cString: strerror(standardOutputError)))", status: .ioError)
            }
            return
        }
        try OutputPath.resolve(path).write(buffer)
    }
}

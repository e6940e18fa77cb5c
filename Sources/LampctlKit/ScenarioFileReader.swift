#if canImport(Glibc)
import Glibc
#endif
import Scenario

/// Reads a `--file` as `cat` would: opened and read as a stream, so a FIFO, `/dev/stdin` or a
/// shell's `<(...)` work like a regular file, at most the parser's maximum size (a regular file's
/// size is checked before reading it). A file that cannot be opened or read says why (strerror).
enum ScenarioFileReader {
    static func read(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure(path, errno) }
        if info.st_mode & S_IFMT == S_IFDIR {
            throw LampctlError("\(path): is a directory, expected a scenario file", status: .ioError)
        }
        if info.st_mode & S_IFMT == S_IFREG, info.st_size > ScenarioParser.maximumSize {
            throw ScenarioParseError(file: path, line: 1, column: 1,
                                     message: "file is too large (\(info.st_size) bytes; at most \(ScenarioParser.maximumSize))")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count <= ScenarioParser.maximumSize {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(path, errno)
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        if bytes.count > ScenarioParser.maximumSize {
            throw ScenarioParseError(file: path, line: 1, column: 1,
                                     message: "file is too large (more than \(ScenarioParser.maximumSize) bytes)")
        }
        return bytes
    }

    static func failure(_ path: String, _ error: Int32) -> LampctlError {
        LampctlError("\(path): cannot read: \(String(cString: strerror(error)))", status: .ioError)
    }
}

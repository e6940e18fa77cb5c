#if canImport(Glibc)
import Glibc
#endif

/// Writes all of a text to a file descriptor with write(2), retrying on EINTR and short writes.
enum FileDescriptorWriter {
    /// Returns nil on success, else the errno of the failed write.
    static func write(_ text: String, to descriptor: Int32) -> Int32? {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }
}

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Standard output as `print` writes it (the C stream): a write that failed is an error to report
/// (exit 74), except when the reader went away (EPIPE: `lampctl list | head -1` ends cleanly).
public enum StandardOutput {
    /// Flushes what was printed; returns the errno of a failed write, nil when all went out (or
    /// the reader is gone).
    public static func flush() -> Int32? {
        errno = 0
        let flushFailed = fflush(stdout) != 0
        let error = errno
        guard flushFailed || ferror(stdout) != 0 else { return nil }
        clearerr(stdout)
        if error == EPIPE { return nil }
        return error == 0 ? EIO : error
    }

    /// The line for a failed write on standard output.
    public static func failure(_ error: Int32, _ what: String = "standard output") -> LampctlError {
        LampctlError("\(what): cannot write: \(String(cString: strerror(error)))", status: .ioError)
    }
}

import Glibc

/// A failure of the embedded local server, as one line that says what to do about it.
public struct LocalServerError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}


extension LocalServerError {
    /// "what: strerror(errno)" for a failed system call.
    static func system(_ what: String, _ code: Int32 = errno) -> LocalServerError {
        LocalServerError("\(what): \(String(cString: strerror(code)))")
    }
}

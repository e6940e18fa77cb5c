/// Where the CLI says what a long wait is waiting for.
public enum WaitReport {
    /// `lampctl: <what it waits for>` on stderr.
    public static let standardError: @Sendable (String) -> Void = { message in
        writeStandardError("lampctl: \(message)\n")
    }
}

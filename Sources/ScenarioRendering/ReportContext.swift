/// What a report says about the run beside its cases: versions, where it ran, and when.
public struct ReportContext: Sendable {
    public var lampctlVersion: String
    /// The server's `server_version`.
    public var serverVersion: String
    /// Where the database came from (`embedded server`, `DATABASE_URL`, ...); never a URL.
    public var database: String
    /// The run's date and time, ISO 8601 in UTC.
    public var date: String

    public init(lampctlVersion: String, serverVersion: String, database: String, date: String) {
        self.lampctlVersion = lampctlVersion
        self.serverVersion = serverVersion
        self.database = database
        self.date = date
    }
}

/// How a session behaves; defaults match SQLAlchemy's `Session()`.
public struct SessionOptions: Sendable, Equatable {
    /// Expire every object after `commit` (SQLAlchemy's default: true).
    public var expireOnCommit: Bool
    /// The isolation level of the transactions this session begins.
    public var isolation: IsolationLevel
    /// The label the event log shows for this session's statements and events (e.g. `S1`).
    public var label: String

    public init(expireOnCommit: Bool = true, isolation: IsolationLevel = .serverDefault, label: String = "S") {
        self.expireOnCommit = expireOnCommit
        self.isolation = isolation
        self.label = label
    }
}

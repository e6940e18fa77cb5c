/// How a session behaves; defaults match SQLAlchemy's `Session()`.
public struct SessionOptions: Sendable, Equatable {
    /// Expire every object after `commit` (SQLAlchemy's default: true).
    public var expireOnCommit: Bool
    /// The isolation level of the transactions this session begins.
    public var isolation: IsolationLevel
    /// The label the event log shows for this session's statements and events (e.g. `S1`).
    public var label: String
    /// Flush pending changes before each query (SQLAlchemy's default: true).
    public var autoflush: Bool

    public init(expireOnCommit: Bool = true, isolation: IsolationLevel = .serverDefault, label: String = "S", autoflush: Bool = true) {
        self.expireOnCommit = expireOnCommit
        self.isolation = isolation
        self.label = label
        self.autoflush = autoflush
    }
}

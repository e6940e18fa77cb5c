/// The isolation levels a case ran at: the test session's, as PostgreSQL spells it (the server's
/// default resolved), and each application session with a connection of its own that ran another.
public struct IsolationInEffect: Sendable, Hashable, Codable, CustomStringConvertible {
    /// An application session's level, where it differs from the test's.
    public struct Other: Sendable, Hashable, Codable {
        public var session: String
        public var level: String

        public init(session: String, level: String) {
            self.session = session
            self.level = level
        }
    }

    public var test: String
    public var others: [Other]

    public init(test: String, others: [Other] = []) {
        self.test = test
        self.others = others
    }

    /// `repeatable read`, or `repeatable read (S2: read committed)`: tables, JSON and messages.
    public var description: String {
        others.isEmpty ? test : "\(test) (\(others.map { "\($0.session): \($0.level)" }.joined(separator: ", ")))"
    }
}

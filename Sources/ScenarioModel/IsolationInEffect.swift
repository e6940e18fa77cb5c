/// The isolation levels a case ran at: what the test session asked for, what it ran (as
/// PostgreSQL spells it, the server's default resolved), and each application session with a
/// connection of its own.
public struct IsolationInEffect: Sendable, Hashable, Codable, CustomStringConvertible {
    /// An application session on a connection of its own, and its level.
    public struct Application: Sendable, Hashable, Codable {
        public var session: String
        public var level: String

        public init(session: String, level: String) {
            self.session = session
            self.level = level
        }
    }

    /// The test session's setting as lampctl spells it (`server-default`, `read-committed`, ...).
    public var requested: String
    /// The test session's level as PostgreSQL spells it.
    public var test: String
    /// Every application session on a connection of its own, in declaration order.
    public var applications: [Application]

    public init(requested: String, test: String, applications: [Application] = []) {
        self.requested = requested
        self.test = test
        self.applications = applications
    }

    /// The application sessions whose level differs from the test's.
    public var others: [Application] { applications.filter { $0.level != test } }

    /// `repeatable read`, or `repeatable read (S2: read committed)`: tables, messages and diagrams.
    public var description: String {
        others.isEmpty ? test : "\(test) (\(others.map { "\($0.session): \($0.level)" }.joined(separator: ", ")))"
    }
}

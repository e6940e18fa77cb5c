/// The isolation level a session's transactions begin with.
public enum IsolationLevel: String, Sendable, CaseIterable, Codable {
    case readCommitted = "read committed"
    case repeatableRead = "repeatable read"
    case serializable = "serializable"
    /// Set nothing: the transaction uses the server's `default_transaction_isolation`.
    case serverDefault = "server default"

    /// The statement that opens a transaction at this level.
    public var beginSQL: String {
        switch self {
        case .serverDefault: return "BEGIN"
        default: return "BEGIN ISOLATION LEVEL " + rawValue.uppercased()
        }
    }

    /// The command-line spelling: `read-committed`, `repeatable-read`, `serializable`, `server-default`.
    public var argument: String { rawValue.replacingSpaces(with: "-") }

    /// Parses the command-line spelling or PostgreSQL's (`read committed`).
    public init?(argument: String) {
        let normalized = argument.lowercased().replacingSpaces(with: " ", from: ["-", "_"])
        guard let level = IsolationLevel(rawValue: normalized) else { return nil }
        self = level
    }
}

extension String {
    func replacingSpaces(with replacement: Character, from separators: Set<Character> = [" "]) -> String {
        String(map { separators.contains($0) ? replacement : $0 })
    }
}

/// How the test drives its session: SQLAlchemy's `Session` (sync) or `AsyncSession` (async),
/// where reading an expired attribute raises `MissingGreenlet` instead of loading it.
public enum SessionDriver: String, Sendable, Codable, CaseIterable {
    case sync
    case async
}

/// Where an object stands with respect to a session (SQLAlchemy's object states).
public enum ObjectState: String, Sendable, Equatable, Codable {
    /// Not in a session, not in the database.
    case transient
    /// Added to a session, not yet flushed.
    case pending
    /// In a session's identity map, with a database row.
    case persistent
    /// Its DELETE was flushed in the session's open transaction (detached at commit, persistent again on rollback).
    case deleted
    /// Had a row and a session once; the session was closed or the object expunged.
    case detached
}

/// Something the ORM did that sends no SQL of its own, recorded in the event log beside the
/// statements. The cases and their wording are SQLAlchemy's (identity map, expiry, expunge); an
/// ORM with other rules records the ones that apply to it.
public enum SessionEvent: Sendable, Equatable, Codable {
    /// What expired objects (SQLAlchemy's names).
    public enum ExpiryCause: String, Sendable, Codable {
        case expire
        case expireAll = "expire_all"
        case rollback
        case commit = "commit (expire_on_commit)"
        /// The rollback of a nested transaction: only what changed inside it.
        case rollbackNested = "rollback of a savepoint"
    }

    /// What overwrote a loaded attribute with the row's value.
    public enum Overwrite: String, Sendable, Codable {
        case refresh
        case populateExisting = "populate_existing"
        /// Django's `refresh_from_db()`.
        case refreshFromDB = "refresh_from_db"
    }

    /// A new transaction was begun because a statement needed one.
    case autobegin(IsolationLevel)
    /// A query row matched an object already in the identity map whose loaded attribute
    /// differs from the row: the loaded value was kept and the row's value thrown away.
    case staleValueKept(object: String, column: String, kept: String?, row: String?)
    /// A query row filled an expired attribute of an object already in the identity map.
    case expiredAttributeLoaded(object: String, column: String, value: String?)
    /// A refresh or populate-existing query overwrote a loaded attribute.
    case attributeOverwritten(object: String, column: String, old: String?, new: String?, by: Overwrite)
    /// A query row built a new object (the key was not in the identity map).
    case objectLoaded(object: String)
    /// Reading an expired attribute loaded it with a SELECT.
    case lazyLoad(object: String, column: String)
    /// Objects' loaded attributes were marked expired (no SQL).
    case expired(objects: [String], cause: ExpiryCause)
    /// An object left the session (pending objects become transient, persistent ones detached).
    case expunged(object: String, nowState: ObjectState)
    /// An operation found nothing to do (e.g. rollback with no transaction open).
    case noOp(operation: String, reason: String)
    /// `merge` copied a loaded attribute of the given object onto the session's object.
    case merged(object: String, column: String, old: String?, new: String?)
    /// Django: iterating an evaluated QuerySet gave its cached instance (no SQL).
    case cachedRowsReused(queryset: String, object: String)
}

extension SessionEvent: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .autobegin(level):
            return "autobegin: new transaction (\(level.rawValue))"
        case let .staleValueKept(object, column, kept, row):
            return "identity map hit on \(object): kept \(column)=\(displayValue(kept)), row had \(displayValue(row))"
        case let .expiredAttributeLoaded(object, column, value):
            return "identity map hit on \(object): expired \(column) filled from row: \(displayValue(value))"
        case let .attributeOverwritten(object, column, old, new, by):
            return "\(by.rawValue) overwrote \(object).\(column): \(displayValue(old)) -> \(displayValue(new))"
        case let .objectLoaded(object):
            return "new object from row: \(object)"
        case let .lazyLoad(object, column):
            return "reading expired \(object).\(column) loads it"
        case let .expired(objects, cause):
            return "\(cause.rawValue): expired \(objects.isEmpty ? "nothing" : objects.joined(separator: ", "))"
        case let .expunged(object, state):
            return "expunged \(object): now \(state.rawValue)"
        case let .noOp(operation, reason):
            return "\(operation): \(reason)"
        case let .merged(object, column, old, new):
            return "merge copied \(column) onto \(object): \(displayValue(old)) -> \(displayValue(new)) (written at the next flush)"
        case let .cachedRowsReused(queryset, object):
            return "\(queryset) was evaluated before: its cached \(object), no SQL"
        }
    }
}

/// A value as traces, diagrams and explanations show it: quoted text, or NULL.
public func displayValue(_ value: String?) -> String { value.map { "'\($0)'" } ?? "NULL" }

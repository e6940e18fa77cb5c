import Synchronization

/// A mapped object: an identity (primary key) and attributes whose state the session tracks.
///
/// Each non-key attribute is either loaded (with a value, possibly `nil`) or expired/unloaded.
/// Not Sendable: it belongs to the session (and thread) that loaded it.
public final class ORMObject {
    public let model: ModelDescription
    /// The primary key once the row exists (after INSERT, or when loaded).
    public internal(set) var key: Int64?
    public internal(set) var state: ObjectState
    /// A number unique within the session that first tracked the object (for traces: "lamp object #2").
    public internal(set) var serial: Int
    /// Loaded attribute values; a column missing here is expired or was never loaded.
    var loaded: [String: String?]
    /// Values as last loaded from or written to the database, for change detection.
    var committed: [String: String?]
    public internal(set) weak var session: (any ORMSession)?
    /// How many times a query row filled each attribute (a new object, an expired attribute, refresh,
    /// populate_existing: where SQLAlchemy fires its `load` or `refresh` event), so an observer can
    /// tell which step loaded the value an attribute holds.
    public internal(set) var rowLoads: [String: Int] = [:]
    /// An attribute was set since the last flush (even to the value it had): the session counts
    /// the object as dirty, so a flush opens a transaction, though it may write nothing.
    var modified = false {
        didSet { if modified != oldValue { (session as? SQLAlchemySession)?.modifiedChanged(self) } }
    }
    /// SQLAlchemy's `InstanceState.expired`: the whole object was expired (expire, expire_all,
    /// commit, rollback) and nothing was loaded into it since; setting an attribute leaves it set.
    /// `session.get` loads an object in this state (measured on 2.1.9).
    var expired = false
    /// The primary key attribute is expired (by a whole-object expiry) until the whole row is
    /// loaded again: `obj.id` then loads, also after a set or a `refresh(obj, ["status"])`.
    var keyExpired = false
    /// SQLAlchemy's `InstanceState.was_deleted`: its DELETE was flushed (and not rolled back);
    /// detached, `add` refuses it (InvalidRequestError, measured on 2.1.9 by the random cross-check).
    var wasDeleted = false

    /// A new transient object with the given attribute values (others are left to server defaults).
    public init(model: ModelDescription, values: [String: String?] = [:]) {
        self.model = model
        self.key = nil
        self.state = .transient
        self.serial = 0
        self.loaded = values
        self.committed = [:]
    }

    init(model: ModelDescription, key: Int64, row: [String: String?], session: any ORMSession, serial: Int) {
        self.model = model
        self.key = key
        self.state = .persistent
        self.serial = serial
        self.loaded = row
        self.committed = row
        self.session = session
    }

    /// Columns whose value is not loaded (expired or never loaded).
    public var expiredAttributes: Set<String> {
        Set(model.columns.filter { loaded[$0] == nil })
    }

    /// True when the attribute has a loaded value.
    public func isLoaded(_ column: String) -> Bool { loaded[column] != nil }

    /// Columns changed in memory and not yet flushed.
    public var changedAttributes: [String] {
        model.columns.filter { column in
            guard let value = loaded[column] else { return false }
            guard let old = committed[column] else { return true }
            return value != old
        }
    }

    /// Reads an attribute. An expired attribute of a persistent object is left to its session
    /// (a synchronous SQLAlchemy session loads it with a SELECT by key); of a detached object,
    /// it is an error.
    public func value(_ column: String) throws -> String? {
        try value(column, awaited: false)
    }

    /// Reads an attribute; `awaited` as `await obj.awaitable_attrs.column` (an async session loads it).
    public func value(_ column: String, awaited: Bool) throws -> String? {
        if let value = loaded[column] { return value }
        // A pending object's attribute never set reads None, with no SQL (a merge's new object).
        if state == .pending { return nil }
        try loadExpired(column, awaited: awaited)
        guard let value = loaded[column] else {
            throw SessionError.objectDeleted(key: key)
        }
        return value
    }

    /// Reads the primary key as `obj.id` does: SQLAlchemy expires it with the other attributes, so
    /// on an expired object it loads the whole row (or raises, as any expired read would).
    public func identity(awaited: Bool) throws -> Int64? {
        if !keyExpired { return key }
        try loadExpired(model.primaryKey, awaited: awaited)
        return key
    }

    private func loadExpired(_ column: String, awaited: Bool) throws {
        guard state == .persistent, let session else {
            throw SessionError.detachedInstance(column: column, key: key)
        }
        if awaited {
            try session.awaitExpiredAttribute(column, of: self)
        } else {
            try session.loadExpiredAttribute(column, of: self)
        }
    }

    /// The loaded value of an attribute, without any SQL: `nil` when expired.
    public func peek(_ column: String) -> String?? { loaded[column] }

    /// Counts a query row filling `column` (see `rowLoads`).
    func noteRowLoad(_ column: String) {
        rowLoads[column, default: 0] += 1
        Self.rowLoadCount.add(1, ordering: .relaxed)
    }

    private static let rowLoadCount = Atomic<Int>(0)

    /// How many times a query row filled an attribute of any object in this process so far: while
    /// it stays the same, no object's `rowLoads` changed (an observer of many objects can skip them).
    public static var rowLoadsSoFar: Int { rowLoadCount.load(ordering: .relaxed) }

    /// Sets an attribute in memory; the next flush writes it.
    public func set(_ column: String, _ value: String?) {
        loaded[column] = .some(value)
        // A detached object records the change too: added back, it is flushed (measured on 2.1.9).
        if state == .persistent || state == .detached { modified = true }
    }

    /// A short name for traces, e.g. `lamp 3 (object #1)`.
    public var label: String {
        let name = model.table.hasSuffix("s") ? String(model.table.dropLast()) : model.table
        let identity = key.map { "\(name) \($0)" } ?? "new \(name)"
        return "\(identity) (object #\(serial))"
    }
}

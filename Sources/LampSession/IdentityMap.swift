/// SQLAlchemy's identity map (`WeakInstanceDict`): one object per primary key, held weakly. An
/// object nothing else references leaves the map when it is freed (CPython frees it at once, as
/// ARC does here): an endpoint's lamp, loaded through the test's session, is gone once the endpoint
/// returns, and a detached object can be added back. An object with unflushed changes is held
/// strongly (SQLAlchemy's `_strong_obj`) until they are flushed or expired.
struct IdentityMap {
    struct Key: Hashable {
        let table: String
        let key: Int64
    }

    private struct Entry {
        weak var object: ORMObject?
        var strong: ORMObject?
    }

    private var entries: [Key: Entry] = [:]
    /// The keys of the entries held strongly (the objects with unflushed changes), so that a flush
    /// finds them without looking at every object (a test may hold thousands).
    private var strongKeys: Set<Key> = []

    subscript(key: Key) -> ORMObject? {
        get { entries[key]?.object }
        set {
            entries[key] = newValue.map { Entry(object: $0, strong: $0.modified ? $0 : nil) }
            if newValue?.modified == true { strongKeys.insert(key) } else { strongKeys.remove(key) }
        }
    }

    /// The objects still alive, in no particular order.
    var values: [ORMObject] { entries.values.compactMap(\.object) }

    /// The objects with unflushed changes, in no particular order.
    var modified: [ORMObject] { strongKeys.compactMap { entries[$0]?.strong }.filter(\.modified) }

    mutating func removeAll() {
        entries.removeAll()
        strongKeys.removeAll()
    }

    /// Holds `object` strongly while it has unflushed changes, weakly once it has none.
    mutating func modifiedChanged(_ object: ORMObject) {
        guard let key = object.key else { return }
        let mapKey = Key(table: object.model.table, key: key)
        guard let entry = entries[mapKey], entry.object === object else { return }
        entries[mapKey]?.strong = object.modified ? object : nil
        if object.modified { strongKeys.insert(mapKey) } else { strongKeys.remove(mapKey) }
    }
}

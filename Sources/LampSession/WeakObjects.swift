/// Objects a session transaction remembers without keeping them alive, as SQLAlchemy's
/// `SessionTransaction` does (`_new`, `_dirty` are weak): an object nothing else refers to is
/// freed and so also leaves the identity map (see `IdentityMap`), and a rollback has nothing
/// to make transient of it. In order of appending.
struct WeakObjects {
    private struct Reference {
        weak var object: ORMObject?
    }

    private var references: [Reference] = []

    /// The objects still alive, in order of appending.
    var objects: [ORMObject] { references.compactMap(\.object) }

    mutating func append(_ object: ORMObject) { references.append(Reference(object: object)) }

    mutating func append(contentsOf other: WeakObjects) { references += other.references }

    mutating func removeAll() { references.removeAll() }

    /// Forgets `object` (and any freed object).
    mutating func remove(_ object: ORMObject) { references.removeAll { $0.object == nil || $0.object === object } }

    func contains(_ object: ORMObject) -> Bool { references.contains { $0.object === object } }
}

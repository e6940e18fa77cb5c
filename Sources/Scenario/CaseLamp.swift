import LampSession

/// One lamp of a running case: its row's key, the test's variable for it (nil when
/// `session.get` found no row: Python's None) and the object its `create` made.
struct CaseLamp {
    let id: Int64
    var object: ORMObject?
    let created: ORMObject?
}

import LampSession
import Postgres

/// A `Lamp` model instance: a copy of a row, made by the query that read it. Nothing links two
/// instances of one row (Django has no identity map).
final class DjangoInstance {
    /// `lamp#1`, `lamp#2`, ...: numbered in the order the case made them.
    let label: String
    var id: Int64
    var status: String?

    init(label: String, id: Int64, status: String?) {
        self.label = label
        self.id = id
        self.status = status
    }
}

/// A QuerySet of the lamp (`Lamp.objects.filter(pk=...)`): lazy until iterated; then its result
/// cache answers every later iteration, with the same instances and no SQL.
final class DjangoQuerySet {
    let label: String
    let id: Int64
    /// `_result_cache`: nil until evaluated.
    var resultCache: [DjangoInstance]?

    init(label: String, id: Int64) {
        self.label = label
        self.id = id
    }
}

/// The errors a Django test or view raises, named as Django (or Python) names their class.
enum DjangoError: Error, CustomStringConvertible {
    /// `Lamp.DoesNotExist`: `get` or `refresh_from_db` found no row.
    case doesNotExist(Int64)
    /// `TransactionManagementError`: `select_for_update` outside an atomic block.
    case selectForUpdateOutsideTransaction
    /// `IndexError`: `list(lamps)[0]` of an empty QuerySet.
    case emptyQuerySet

    var kind: String {
        switch self {
        case .doesNotExist: return "Lamp.DoesNotExist"
        case .selectForUpdateOutsideTransaction: return "TransactionManagementError"
        case .emptyQuerySet: return "IndexError"
        }
    }

    var description: String {
        switch self {
        case let .doesNotExist(id): return "Lamp matching query does not exist (id \(id))"
        case .selectForUpdateOutsideTransaction: return "select_for_update cannot be used outside of a transaction."
        case .emptyQuerySet: return "list index out of range"
        }
    }

    /// The kind a case's error gets under Django, or nil when it must end the run: Django's own
    /// errors, a step blocked by another session, and the database errors Django wraps
    /// (`OperationalError` for a serialization failure, a deadlock or a lock not available,
    /// `IntegrityError` for a constraint).
    static func kind(of error: any Error) -> String? {
        switch error {
        case let error as DjangoError: return error.kind
        case is CaseBlocked: return CaseError.blockedKind
        case let error as PostgresError:
            guard !error.isConnectionLoss, let state = error.sqlState?.rawValue else { return nil }
            if CaseError.transactionConditions[state] != nil { return "OperationalError" }
            if state.hasPrefix("23") { return "IntegrityError" }
            return nil
        default: return nil
        }
    }
}

/// The model's queries, as Django's compiler writes them for `Lamp` (psycopg2 sends them with
/// the values inlined; lampctl sends them with parameters).
enum DjangoSQL {
    static let columns = "\"lamps\".\"id\", \"lamps\".\"status\""
    /// `Lamp.objects.get(pk=...)` and `refresh_from_db()` (a `get()` of a filtered QuerySet).
    static let get = "SELECT \(columns) FROM \"lamps\" WHERE \"lamps\".\"id\" = $1 LIMIT 21"
    /// `list(Lamp.objects.filter(pk=...))`.
    static let filter = "SELECT \(columns) FROM \"lamps\" WHERE \"lamps\".\"id\" = $1"
    static let getForUpdate = get + " FOR UPDATE"
    static let insert = "INSERT INTO \"lamps\" (\"status\") VALUES ($1) RETURNING \"lamps\".\"id\""
    static let insertWithKey = "INSERT INTO \"lamps\" (\"id\", \"status\") VALUES ($1, $2) RETURNING \"lamps\".\"id\""
    static let update = "UPDATE \"lamps\" SET \"status\" = $1 WHERE \"lamps\".\"id\" = $2"
    static let delete = "DELETE FROM \"lamps\" WHERE \"lamps\".\"id\" IN ($1)"
    static let flush = "TRUNCATE \"lamps\""
}

/// The model manager's operations over one connection: what `Lamp.objects` and an instance's
/// methods send, and the instances they make.
struct DjangoModelOperations {
    let connection: DjangoConnection
    /// Numbers instances and QuerySets across the case.
    let counter: DjangoLabels

    /// `Lamp.objects.create(status=...)`: INSERT ... RETURNING id.
    func create(status: String?) throws -> DjangoInstance {
        let value = status ?? "off"  // the model field's default
        let result = try connection.execute(DjangoSQL.insert, [value], purpose: .insert(table: "lamps", values: ["status": value]))
        guard let key = result.rows.first?.first.flatMap({ $0 }).flatMap(Int64.init) else { throw DjangoError.doesNotExist(0) }
        return DjangoInstance(label: counter.nextInstance(), id: key, status: value)
    }

    /// `Lamp.objects.get(pk=id)` (with `select_for_update()` when `locking`): a new instance.
    func get(_ id: Int64, locking: Bool = false) throws -> DjangoInstance {
        if locking, connection.depth == 0 { throw DjangoError.selectForUpdateOutsideTransaction }
        guard let row = try load(locking ? DjangoSQL.getForUpdate : DjangoSQL.get, id) else { throw DjangoError.doesNotExist(id) }
        let instance = DjangoInstance(label: counter.nextInstance(), id: id, status: row)
        connection.trace.record(.objectLoaded(object: instance.label), session: connection.label)
        return instance
    }

    /// `instance.refresh_from_db()` (or with `fields=[...]`): SELECT now, overwrite the instance.
    func refresh(_ instance: DjangoInstance) throws {
        guard let row = try load(DjangoSQL.get, instance.id) else { throw DjangoError.doesNotExist(instance.id) }
        let old = instance.status
        instance.status = row
        connection.trace.record(.attributeOverwritten(object: instance.label, column: "status", old: old, new: row, by: .refreshFromDB),
                                session: connection.label)
    }

    /// `list(queryset)[0]`: the cached instance when the QuerySet was evaluated, else a SELECT
    /// that fills the cache. Returns the instance and whether it came from the cache.
    func iterate(_ queryset: DjangoQuerySet) throws -> (DjangoInstance, cached: Bool) {
        if let cache = queryset.resultCache {
            guard let first = cache.first else { throw DjangoError.emptyQuerySet }
            connection.trace.record(.cachedRowsReused(queryset: queryset.label, object: first.label), session: connection.label)
            return (first, true)
        }
        let instances = try load(DjangoSQL.filter, queryset.id).map { status -> [DjangoInstance] in
            let instance = DjangoInstance(label: counter.nextInstance(), id: queryset.id, status: status)
            connection.trace.record(.objectLoaded(object: instance.label), session: connection.label)
            return [instance]
        } ?? []
        queryset.resultCache = instances
        guard let first = instances.first else { throw DjangoError.emptyQuerySet }
        return (first, false)
    }

    /// `instance.save()`: UPDATE every field by key; when no row was updated, INSERT with the key.
    func save(_ instance: DjangoInstance) throws {
        let values: [String: String?] = ["status": instance.status]
        let updated = try connection.execute(DjangoSQL.update, [instance.status, String(instance.id)],
                                             purpose: .update(table: "lamps", key: instance.id, values: values))
        if updated.affectedRows > 0 { return }
        try connection.execute(DjangoSQL.insertWithKey, [String(instance.id), instance.status],
                               purpose: .insert(table: "lamps", values: ["id": String(instance.id), "status": instance.status]))
    }

    /// `instance.delete()`: DELETE by key.
    func delete(_ instance: DjangoInstance) throws {
        try connection.execute(DjangoSQL.delete, [String(instance.id)], purpose: .delete(table: "lamps", key: instance.id))
    }

    /// The row's status (the outer optional: whether there is a row).
    private func load(_ sql: String, _ id: Int64) throws -> String?? {
        let result = try connection.execute(sql, [String(id)], purpose: .load(table: "lamps", key: id))
        guard let row = result.rows.first else { return nil }
        return .some(row.count > 1 ? row[1] : nil)
    }
}

/// Numbers a case's instances (`lamp#1`) and QuerySets (`lamps#1`) in the order it makes them.
final class DjangoLabels {
    private var instances = 0
    private var querysets = 0

    func nextInstance() -> String {
        instances += 1
        return "lamp#\(instances)"
    }

    func nextQuerySet() -> String {
        querysets += 1
        return "lamps#\(querysets)"
    }
}

public import LampApp

/// The table of step keywords: each step's spelling, arguments, help line, which kind of session
/// takes it, and how its argument becomes a ``StepAction``.
///
/// The parser, ``StepAction/keyword`` and ``StepAction/text``, `lampctl scenario --grammar` and the
/// SQLAlchemy cross-check (through `--grammar --json`) all read this table. A new step is a case
/// here and in ``StepAction``, its session call in `CaseExecution`, and its test.
public enum StepKeyword: String, CaseIterable, Sendable, CustomStringConvertible {
    case create
    case select
    case refresh
    case expire
    case expireAll = "expire-all"
    case close
    case commit
    case rollback
    case flush
    case sqlRead = "sql-read"
    case switchOn = "switch-on"
    case expect
    case read
    case get
    case expunge
    case add
    case set
    case reportLSN = "report-lsn"
    case waitLSN = "wait-lsn"
    case pauseReplay = "pause-replay"
    case resumeReplay = "resume-replay"
    case selectAll = "select-all"
    case merge
    case delete
    case beginNested = "begin-nested"
    case release
    case rollbackNested = "rollback-nested"
    // Django's own steps.
    case filter
    case iterate
    case selectForUpdate = "select-for-update"
    case save
    case atomic
    case endAtomic = "end-atomic"
    case abortAtomic = "abort-atomic"

    /// The ORMs whose scenario files accept it.
    public var orms: [ORM] {
        switch self {
        case .create, .get, .refresh, .set, .sqlRead, .expect, .switchOn, .delete: return [.sqlalchemy, .django]
        case .filter, .iterate, .selectForUpdate, .save, .atomic, .endAtomic, .abortAtomic: return [.django]
        default: return [.sqlalchemy]
        }
    }

    /// The keywords a file of `orm` accepts, in table order.
    public static func accepted(by orm: ORM) -> [StepKeyword] { allCases.filter { $0.orms.contains(orm) } }

    /// What may follow the keyword in a file of `orm`: the application's steps take SQLAlchemy's
    /// commit/flush mode only there (Django's view always runs in `transaction.atomic()`).
    public func arguments(in orm: ORM) -> StepArguments {
        if orm == .django, self == .switchOn || self == .delete { return .none }
        return arguments
    }

    /// How scenario files spell it.
    public var spelling: String { rawValue }
    public var description: String { rawValue }

    /// What may follow the keyword.
    public var arguments: StepArguments {
        switch self {
        case .create: return .optional(["on", "off"])
        case .select: return .optional(["populate-existing", "for-update"])
        case .refresh: return .optional(["status"])
        case .set: return .required(["on", "off"])
        case .get, .expunge, .add: return .none
        case .switchOn: return .optional(AppMode.allCases.map(\.rawValue))
        case .expect: return .required(["on", "off"])
        case .read: return .required(["status", "status awaitable", "id"])
        case .expire, .expireAll, .close, .commit, .rollback, .flush, .sqlRead: return .none
        case .reportLSN, .waitLSN, .pauseReplay, .resumeReplay: return .none
        case .selectAll, .merge: return .none
        case .delete: return .optional(AppMode.allCases.map(\.rawValue))
        case .beginNested, .release, .rollbackNested: return .none
        case .filter, .iterate, .selectForUpdate, .save, .atomic, .endAtomic, .abortAtomic: return .none
        }
    }

    /// True when the step acts on one lamp and so takes an optional lamp name (``LampName``)
    /// before its argument; without one it acts on the unnamed lamp.
    public var takesLamp: Bool {
        switch self {
        case .create, .select, .refresh, .expire, .sqlRead, .switchOn, .expect, .read, .get, .expunge, .add, .set,
             .merge, .delete, .filter, .iterate, .selectForUpdate, .save:
            return true
        case .expireAll, .close, .commit, .rollback, .flush, .reportLSN, .waitLSN, .pauseReplay, .resumeReplay, .selectAll:
            return false
        case .beginNested, .release, .rollbackNested, .atomic, .endAtomic, .abortAtomic: return false
        }
    }

    /// The kind of session whose step it is: the application's session only switches the lamp on.
    public var performer: SessionRoleKeyword {
        self == .switchOn || self == .reportLSN || self == .delete ? .app : .test
    }

    /// Every kind of session that may perform it: the performer, and for `sql-read` a worker too.
    public var performers: [SessionRoleKeyword] {
        self == .sqlRead ? [performer, .worker] : [performer]
    }

    /// One line for the grammar reference.
    public var help: String {
        switch self {
        case .create: return "add a lamp (status on, off, or the server's default: off) and commit"
        case .select: return "SELECT by key through the identity map (populate-existing: overwrite it; for-update: lock the row, no overwrite)"
        case .refresh: return "refresh(lamp): SELECT by key now and overwrite the object's attributes (status: that one only)"
        case .expire: return "expire(lamp): mark the object's attributes expired (no SQL)"
        case .expireAll: return "expire_all(): expire every object in the identity map (no SQL)"
        case .close: return "close(): roll back an open transaction, empty the identity map"
        case .commit: return "commit(): flush, COMMIT, expire everything if expire_on_commit"
        case .rollback: return "rollback(): with a transaction open, ROLLBACK and expire everything"
        case .flush: return "flush(): send pending changes, no COMMIT"
        case .sqlRead: return "a plain SQL read of the status in the session's transaction (S3 worker: on its own connection, now)"
        case .switchOn: return "the app's endpoint: select, set on, commit or only flush (else --app), refresh"
        case .expect: return "assert that the test's object has this status"
        case .read: return "read the object's attribute (as expect does; awaitable: await obj.awaitable_attrs.status)"
        case .get: return "session.get(Lamp, id): a loaded object in the identity map is returned with no SQL, no autobegin; no row: None"
        case .expunge: return "expunge(lamp): detach the object from the session (no SQL)"
        case .add: return "add(lamp): attach a detached object again (no SQL; not expired)"
        case .set: return "lamp.status = ...: change the object in memory; the next query autoflushes it"
        case .reportLSN: return "the app reports the primary's WAL position (pg_current_wal_insert_lsn()) as its own statement"
        case .waitLSN: return "poll the session's server until it has replayed the app's last reported LSN (timeout 30 s)"
        case .pauseReplay: return "reads=standby only: pg_wal_replay_pause() on the standby (resumed at the observation)"
        case .resumeReplay: return "reads=standby only: pg_wal_replay_resume() on the standby"
        case .selectAll: return "select(Lamp) of the case's lamps: one SELECT, the identity map rule per row, a row not in it becomes a new object"
        case .merge: return "lamp = merge(lamp): the session's object for its key (get), the given object's loaded attributes copied onto it"
        case .delete: return "the app's endpoint: select, session.delete, commit or only flush (else --app)"
        case .beginNested: return "begin_nested(): flush, open a nested transaction (SAVEPOINT sa_savepoint_N before its first statement)"
        case .release: return "commit the innermost nested transaction: flush, RELEASE SAVEPOINT; expires nothing"
        case .rollbackNested: return "roll back the innermost nested transaction: ROLLBACK TO SAVEPOINT; expires only what changed inside it"
        case .filter: return "lamps = Lamp.objects.filter(pk=...): a new QuerySet, lazy (no SQL)"
        case .iterate: return "lamp = list(lamps)[0]: the first time a SELECT, cached; again: the cached instance, no SQL"
        case .selectForUpdate: return "lamp = Lamp.objects.select_for_update().get(pk=...): lock the row (inside atomic only)"
        case .save: return "lamp.save(): UPDATE every field by key (no row updated: INSERT)"
        case .atomic: return "enter transaction.atomic(): outermost: autocommit off (BEGIN at the next query); nested: SAVEPOINT"
        case .endAtomic: return "leave the innermost atomic block: COMMIT, or RELEASE SAVEPOINT"
        case .abortAtomic: return "leave the innermost atomic block by an exception: ROLLBACK, or ROLLBACK TO SAVEPOINT"
        }
    }

    /// Its help line in the grammar reference of `orm` (a shared keyword says what it is there).
    public func help(in orm: ORM) -> String {
        guard orm == .django else { return help }
        switch self {
        case .create: return "lamp = Lamp.objects.create() (status on, off, or the model's default: off); autocommit: committed at once"
        case .get: return "lamp = Lamp.objects.get(pk=...): a new query, a new instance; no row: Lamp.DoesNotExist"
        case .refresh: return "lamp.refresh_from_db(): SELECT by key now, overwrite the instance (status: refresh_from_db(fields=[\"status\"]))"
        case .set: return "lamp.status = ...: change the instance in memory (save() writes it)"
        case .sqlRead: return "cursor.execute(SELECT status ...) on the session's connection, in its transaction if one is open (S3 worker: its own connection, now)"
        case .expect: return "assert lamp.status == ...: the instance's attribute, no SQL"
        case .switchOn: return "the view: with transaction.atomic(): get, lamp.status = \"on\", save(); on the connection the test wrapper gives it"
        case .delete: return "the view: with transaction.atomic(): Lamp.objects.get(pk=...).delete()"
        default: return help
        }
    }

    /// The step's action from its argument (one of ``arguments``' values, or nil when there is none);
    /// nil when the argument does not fit the keyword.
    public func action(argument: String?) -> StepAction? {
        if let argument, !arguments.values.contains(argument) { return nil }
        switch (self, argument) {
        case (.create, _): return .create(status: argument)
        case (.select, "for-update"): return .selectForUpdate
        case (.select, _): return .select(populateExisting: argument != nil)
        case (.refresh, "status"): return .refreshAttribute("status")
        case let (.set, status?): return .set(status)
        case (.set, nil): return nil
        case (.switchOn, _): return .switchOn(argument.flatMap(AppMode.init(rawValue:)))
        case (.delete, _): return .delete(argument.flatMap(AppMode.init(rawValue:)))
        case let (.expect, status?): return .expect(status)
        case (.expect, nil): return nil
        case let (.read, argument?):
            return .read(attribute: argument.hasPrefix("id") ? .id : .status, awaited: argument.hasSuffix(" awaitable"))
        case (.read, nil): return nil
        case (_, .some): return nil
        case (.refresh, nil): return .refresh
        case (.expire, nil): return .expire
        case (.expireAll, nil): return .expireAll
        case (.close, nil): return .close
        case (.commit, nil): return .commit
        case (.rollback, nil): return .rollback
        case (.flush, nil): return .flush
        case (.sqlRead, nil): return .sqlRead
        case (.get, nil): return .get
        case (.expunge, nil): return .expunge
        case (.add, nil): return .add
        case (.reportLSN, nil): return .reportLSN
        case (.waitLSN, nil): return .waitLSN
        case (.pauseReplay, nil): return .pauseReplay
        case (.resumeReplay, nil): return .resumeReplay
        case (.selectAll, nil): return .selectAll
        case (.merge, nil): return .merge
        case (.beginNested, nil): return .beginNested
        case (.release, nil): return .release
        case (.rollbackNested, nil): return .rollbackNested
        case (.filter, nil): return .filter
        case (.iterate, nil): return .iterate
        case (.selectForUpdate, nil): return .lockingGet
        case (.save, nil): return .save
        case (.atomic, nil): return .atomic
        case (.endAtomic, nil): return .endAtomic
        case (.abortAtomic, nil): return .abortAtomic
        }
    }
}

/// A session operation a step performs: a ``StepKeyword`` with its argument parsed.
public enum StepAction: Sendable, Equatable {
    /// Add a new lamp (server default status unless given) and commit.
    case create(status: String?)
    /// SELECT the lamp by key through the session (identity map applies); the result becomes the test's object.
    case select(populateExisting: Bool)
    case refresh
    case expire
    case expireAll
    case close
    case commit
    case rollback
    case flush
    /// A plain SQL read of the status in the session's transaction (no identity map).
    case sqlRead
    /// The application's switch-on endpoint; `nil` leaves commit/flush to `--app`.
    case switchOn(AppMode?)
    /// Assert the test's object has this status.
    case expect(String)
    /// Read one of the test object's attributes (`awaited`: through `awaitable_attrs`).
    case read(attribute: ReadAttribute, awaited: Bool)

    /// `session.get` of the lamp.
    case get
    /// SELECT ... FOR UPDATE of the lamp through the session.
    case selectForUpdate
    /// `refresh(lamp, [attribute])`.
    case refreshAttribute(String)
    case expunge
    /// `add(lamp)` of the (detached) object.
    case add
    /// Set the object's status in memory.
    case set(String)

    /// What `read` reads.
    public enum ReadAttribute: String, Sendable, Equatable {
        case status, id
    }
    /// The application reports the primary's WAL position after its last commit.
    case reportLSN
    /// Wait until the session's server has replayed the last reported LSN.
    case waitLSN
    /// Pause or resume WAL replay on the session's standby.
    case pauseReplay
    case resumeReplay
    /// `select(Lamp)` of the case's lamps (a list query).
    case selectAll
    /// `lamp = session.merge(lamp)`.
    case merge
    /// The application's delete endpoint; `nil` leaves commit/flush to `--app`.
    case delete(AppMode?)
    /// `session.begin_nested()`.
    case beginNested
    /// `session.get_nested_transaction().commit()`.
    case release
    /// `session.get_nested_transaction().rollback()`.
    case rollbackNested
    /// Django: `lamps = Lamp.objects.filter(pk=...)`.
    case filter
    /// Django: `lamp = list(lamps)[0]`.
    case iterate
    /// Django: `Lamp.objects.select_for_update().get(pk=...)`.
    case lockingGet
    /// Django: `lamp.save()`.
    case save
    /// Django: enter `transaction.atomic()`.
    case atomic
    /// Django: leave the innermost atomic block normally.
    case endAtomic
    /// Django: leave the innermost atomic block by an exception.
    case abortAtomic

    /// The keyword as scenario files spell it.
    public var keyword: StepKeyword {
        switch self {
        case .create: return .create
        case .select: return .select
        case .refresh: return .refresh
        case .expire: return .expire
        case .expireAll: return .expireAll
        case .close: return .close
        case .commit: return .commit
        case .rollback: return .rollback
        case .flush: return .flush
        case .sqlRead: return .sqlRead
        case .switchOn: return .switchOn
        case .expect: return .expect
        case .read: return .read
        case .get: return .get
        case .selectForUpdate: return .select
        case .refreshAttribute: return .refresh
        case .expunge: return .expunge
        case .add: return .add
        case .set: return .set
        case .reportLSN: return .reportLSN
        case .waitLSN: return .waitLSN
        case .pauseReplay: return .pauseReplay
        case .resumeReplay: return .resumeReplay
        case .selectAll: return .selectAll
        case .merge: return .merge
        case .delete: return .delete
        case .beginNested: return .beginNested
        case .release: return .release
        case .rollbackNested: return .rollbackNested
        case .filter: return .filter
        case .iterate: return .iterate
        case .lockingGet: return .selectForUpdate
        case .save: return .save
        case .atomic: return .atomic
        case .endAtomic: return .endAtomic
        case .abortAtomic: return .abortAtomic
        }
    }

    /// The argument as a scenario file spells it (the inverse of ``StepKeyword/action(argument:)``).
    public var argument: String? {
        switch self {
        case let .create(status): return status
        case let .select(populateExisting): return populateExisting ? "populate-existing" : nil
        case let .switchOn(mode), let .delete(mode): return mode?.rawValue
        case let .expect(status): return status
        case let .read(attribute, awaited): return attribute.rawValue + (awaited ? " awaitable" : "")
        case .selectForUpdate: return "for-update"
        case let .refreshAttribute(attribute): return attribute
        case let .set(status): return status
        case .refresh, .expire, .expireAll, .close, .commit, .rollback, .flush, .sqlRead, .get, .expunge, .add: return nil
        case .reportLSN, .waitLSN, .pauseReplay, .resumeReplay, .selectAll, .merge: return nil
        case .beginNested, .release, .rollbackNested: return nil
        case .filter, .iterate, .lockingGet, .save, .atomic, .endAtomic, .abortAtomic: return nil
        }
    }

    /// The step as a scenario file line would spell it (without the session name and lamp name).
    public var text: String {
        argument.map { "\(keyword.spelling) \($0)" } ?? keyword.spelling
    }

    /// The step with its lamp name (nil: the unnamed lamp), as a scenario file spells it: `select a populate-existing`.
    public func text(lamp: String?) -> String {
        ([keyword.spelling] + [lamp, argument].compactMap { $0 }).joined(separator: " ")
    }
}

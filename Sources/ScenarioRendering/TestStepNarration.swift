import LampSession
import ScenarioModel
import Postgres

/// Follows the test session through the trace, keeping what its identity map holds for the lamp,
/// and says what each of its steps after the application did and which session rule applied.
struct TestStepNarration {
    private enum Held { case unknown, loaded(String?), expired, absent }

    private let story: CaseStory
    /// The reasons this case's session flavour gives.
    private let rules: RuleNotes
    private var held = Held.unknown
    /// The object label last seen in an event (`lamp 1 (object #1)`).
    private var object: String?
    /// What last expired or removed the object, and where (`close`, `line 16`).
    private var emptiedBy: (operation: String, place: String)?
    /// The step whose entries are being followed (nil during the observation).
    private var step: StepAction?

    /// One sentence per test step after the application's last step.
    static func sentences(_ story: CaseStory) -> [String] {
        var narration = TestStepNarration(story: story)
        let narrated = Set(story.testSectionsAfterApplication.compactMap(\.line))
        var sentences: [String] = []
        for section in story.sections where !section.isObservation {
            let clauses = narration.follow(section)
            if let line = section.line, narrated.contains(line), !clauses.isEmpty, let text = section.stepText {
                sentences.append("At line \(line) (\(story.test) \(text)), " + clauses.joined(separator: "; ") + ".")
            }
        }
        return sentences
    }

    private init(story: CaseStory) {
        self.story = story
        rules = RuleNotes(story.result.flavor, orm: story.result.ormRan)
    }

    private var test: String { story.test }
    private var objectName: String { object ?? "\(test)'s object" }

    /// Updates the identity map model with the section's test-session entries; returns its clauses.
    private mutating func follow(_ section: TraceSection) -> [String] {
        let entries = section.entries.filter { $0.session == test }
        step = section.action
        var clauses: [String] = []
        var position = 0
        while position < entries.count {
            let located = entries[position]
            position += 1
            switch located.event {
            case .step, .observation: continue
            case let .expectation(_, expectation):
                clauses.append(expectation.description)
            case let .session(entry):
                switch entry.kind {
                case let .event(event):
                    if let clause = eventClause(event, at: located.index) { clauses.append(clause) }
                case let .statement(statement):
                    var events: [SessionEvent] = []
                    while position < entries.count, case let .event(event)? = entries[position].entry?.kind {
                        events.append(event)
                        position += 1
                    }
                    clauses += statementClauses(statement, events: events, at: located.index, action: section.action)
                }
            }
        }
        return clauses
    }

    private mutating func statementClauses(_ statement: TracedStatement, events: [SessionEvent], at index: Int, action: StepAction?) -> [String] {
        let status = statement.result?.value("status")
        switch statement.purpose {
        case .begin:
            return ["\(test) began a new transaction (\(statement.sql))"]
        case .load where statement.result != nil:
            // merge's copy onto the loaded object follows its load.
            let load = loadClause(status: status, events: events, at: index, action: action, onStandby: statement.server == ClusterSet.standby)
            let merged = events.compactMap { event -> String? in
                guard case let .merged(label, column, old, new) = event else { return nil }
                held = .loaded(new)
                return "merge then copied the detached object's \(column) \(displayValue(new)) onto \(label) over \(displayValue(old)), "
                    + "a change the next flush writes"
            }
            return [load] + merged
        case .plain where statement.isRead:
            return ["a plain SQL read returned status \(displayValue(status))"]
        case .commit:
            var clauses = ["COMMIT ended \(test)'s transaction"]
            let expiry = events.compactMap { eventClause($0, at: index) }
            if expiry.isEmpty, case let .loaded(value) = held {
                clauses.append(rules.hasIdentityMap
                    ? "nothing was expired (expire_on_commit is false), so \(objectName) kept status \(displayValue(value)) loaded"
                    : "a commit does not touch instances, so \(objectName) kept status \(displayValue(value))")
            }
            return clauses + expiry
        case let .replayWait(lsn):
            let replayed = statement.result?.value("replay_lsn").map { " (its replay LSN was then \($0))" } ?? ""
            return ["\(test) waited until the server it reads had replayed the application's reported LSN \(lsn)\(replayed): "
                + "the wait only helps when that LSN is at or after the end of the application's COMMIT record"]
        case let .replayControl(pause):
            return [pause ? "\(test) paused WAL replay on the standby" : "\(test) resumed WAL replay on the standby"]
        case .rollback:
            return ["ROLLBACK ended \(test)'s transaction"] + events.compactMap { eventClause($0, at: index) }
        case .insert:
            held = .loaded(status)
            return ["\(test) inserted the lamp (status \(displayValue(status)))"]
        case let .update(_, _, values):
            if story.history.transaction(writing: index) != nil, let value = values["status"] { held = .loaded(value) }
            return ["\(test) flushed \(StatementText.request(statement)), inside its open transaction"]
        default:
            return [StatementText.request(statement)] + events.compactMap { eventClause($0, at: index) }
        }
    }

    /// A SELECT through the session: what the row said and what the identity map did with it.
    private mutating func loadClause(status: String?, events: [SessionEvent], at index: Int, action: StepAction?, onStandby: Bool) -> String {
        var returned = "\(test)'s SELECT returned status \(displayValue(status))"
        for divergence in story.history.divergences[index] ?? [] where divergence.column == "status" {
            returned += divergence.ownWrite
                ? " (\(test)'s own uncommitted write; committed was \(displayValue(divergence.committed)))"
                : onStandby
                ? " rather than the primary's committed \(displayValue(divergence.committed)) (the standby's snapshot did not include that commit)"
                : " rather than the committed \(displayValue(divergence.committed)) (\(test)'s snapshot predates that commit)"
        }
        for event in events {
            switch event {
            case let .staleValueKept(label, column, kept, row):
                object = label
                return "\(test)'s SELECT returned \(column) \(displayValue(row)), but the identity map already held \(label) with \(column) "
                    + "\(displayValue(kept)) loaded, so the row's value was discarded (\(rules.queryKeepsLoaded))"
            case let .expiredAttributeLoaded(label, column, value):
                object = label
                held = .loaded(value)
                let cause = emptiedBy.map { " by \($0.operation) at \($0.place)" } ?? ""
                return "\(returned); \(label) was in the identity map with \(column) expired\(cause), so the row's value filled it "
                    + "(\(rules.expiredFilledFromRow))"
            case let .attributeOverwritten(label, column, old, new, by):
                object = label
                held = .loaded(new)
                return "\(returned), and \(by.rawValue) overwrote \(label)'s \(column) \(displayValue(old)) with it "
                    + "(\(rules.overwrites))"
            case let .objectLoaded(label):
                object = label
                held = .loaded(status)
                let cause = emptiedBy.map { " (\($0.operation) at \($0.place) had emptied it)" } ?? ""
                if !rules.hasIdentityMap {
                    return "\(returned), and a new instance, \(label), was made from the row (Django has no identity map: every query makes a copy)"
                }
                return "\(returned); the identity map no longer held the lamp\(cause), so a new object, \(label), was built from the row"
            default:
                continue
            }
        }
        var clause = returned
        if case let .loaded(value) = held, value == status { clause += ", the value \(objectName) already held" }
        if case .loaded = held {
            let overwrites = action == .refresh || action == .select(populateExisting: true)
            clause += overwrites ? ", so there was nothing new to overwrite" : "; as that status was loaded, a different row value would have been kept anyway"
        }
        return clause
    }

    private mutating func eventClause(_ event: SessionEvent, at index: Int) -> String? {
        switch event {
        case .autobegin: return nil
        case let .expired(objects, cause):
            object = objects.first ?? object
            held = objects.isEmpty ? held : .expired
            emptiedBy = (cause.rawValue, story.place(index))
            let list = objects.isEmpty ? "nothing" : objects.joined(separator: ", ")
            switch cause {
            case .expire: return "expire marked \(list)'s loaded attributes expired, without SQL"
            case .expireAll: return "expire_all marked every object in the identity map (\(list)) expired, without SQL"
            case .rollback: return "rollback expired \(list) (\(rules.rollbackExpiresAll))"
            case .commit: return "expire_on_commit expired \(list)"
            case .rollbackNested:
                return "the savepoint's rollback expired \(list) (only objects changed inside the savepoint; others keep what they loaded)"
            }
        case let .expunged(label, state):
            object = label
            held = .absent
            emptiedBy = (step == .expunge ? "expunge" : state == .detached ? "close" : "rollback", story.place(index))
            return "\(label) was expunged and is now \(state.rawValue): the identity map no longer holds it"
        case let .noOp(operation, reason):
            return "\(operation) did nothing: \(reason)"
        case let .lazyLoad(label, column):
            return "reading the expired \(column) of \(label) loaded it with a SELECT"
        case let .cachedRowsReused(queryset, label):
            object = label
            return "iterating \(queryset) again gave its cached \(label), with no query (an evaluated QuerySet keeps its rows)"
        default:
            return event.description
        }
    }
}

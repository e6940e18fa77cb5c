import LampSession
import ScenarioModel

/// A case as a sequence diagram, independent of how it is drawn: participants, then items in order.
/// Built from the trace alone; the text and Mermaid renderers only lay it out.
struct DiagramScript {
    struct Participant: Equatable {
        /// The trace label (`S1`), or `DB` for the database.
        var label: String
        /// What the diagram calls it: `S1`, `PostgreSQL`.
        var name: String
        /// `test session`, `application`, `database`, `observer`.
        var role: String
        var isDatabase: Bool { role == "database" }
    }

    indirect enum Item: Equatable {
        /// A step marker: a section separator.
        case section(String)
        /// A statement from a session to the database (`server`: its lifeline's label).
        case request(from: String, server: String, text: String)
        /// What the database answered.
        case reply(to: String, server: String, text: String)
        /// An ORM event or an observation; `warning` marks the stale read.
        case note(on: String, text: String, warning: Bool)
        /// Items to highlight together (the statement whose row was discarded or showed old data).
        case highlight([Item])
        /// The case's verdict, last.
        case summary([String])
    }

    static let database = "DB"
    /// The standby's lifeline, in cases that used one (the primary's is `DB`).
    static let standby = "SB"

    /// The lifeline of the server that ran a statement: `DB` unless it was the standby.
    static func lifeline(_ server: String?) -> String { server == ClusterSet.standby ? standby : database }

    var title: String
    var participants: [Participant]
    var items: [Item]

    init(_ result: CaseResult) {
        title = "\(result.scenario): \(result.settingsLabel()), lamp \(result.lampID)"
        participants = Self.participants(result)
        let history = DatabaseHistory(result.events)
        var items: [Item] = []
        for section in TraceSection.split(result.events) {
            if !section.title.isEmpty { items.append(.section(section.title)) }
            items += Self.observationNotes(section, result)
            items += Self.items(section.entries, history: history)
        }
        items.append(.summary(Self.summary(result)))
        self.items = items
    }

    private static func participants(_ result: CaseResult) -> [Participant] {
        var labels = result.sessionLabels
        for event in result.events where !labels.contains(event.session) && event.session != result.observerLabel {
            labels.append(event.session)
        }
        let test = labels.first
        var list = labels.map { Participant(label: $0, name: $0, role: $0 == test ? "test session"
            : result.workerLabels?.contains($0) == true ? "worker" : "application") }
        list += databases(result.events)
        list.append(Participant(label: result.observerLabel, name: result.observerLabel, role: "observer"))
        return list
    }

    /// One lifeline, `PostgreSQL`; a case whose statements name their servers (a run with a
    /// standby) gets one per server it used, primary first.
    private static func databases(_ events: [CaseEvent]) -> [Participant] {
        var servers = Set<String>()
        for case let .session(entry) in events {
            if case let .statement(statement) = entry.kind, let server = statement.server { servers.insert(server) }
        }
        guard !servers.isEmpty else { return [Participant(label: database, name: "PostgreSQL", role: "database")] }
        let used: [String] = [ClusterSet.primary, ClusterSet.standby].filter { servers.contains($0) }
        return used.map { (server: String) in Participant(label: lifeline(server), name: "PostgreSQL " + server, role: "database") }
    }

    /// Statements become request/reply pairs; the events that follow a statement in the same
    /// session are its notes, highlighted when the row was discarded or is not what is committed.
    private static func items(_ entries: [LocatedEntry], history: DatabaseHistory) -> [Item] {
        var items: [Item] = []
        var position = 0
        while position < entries.count {
            let located = entries[position]
            let session = located.session
            position += 1
            switch located.event {
            case .step, .observation: continue
            case let .expectation(_, expectation):
                items.append(.note(on: session, text: expectation.description, warning: false))
            case let .session(entry):
                guard case let .statement(statement) = entry.kind else {
                    if case let .event(event) = entry.kind { items.append(.note(on: session, text: event.description, warning: false)) }
                    continue
                }
                let server = lifeline(statement.server)
                var group: [Item] = [.request(from: session, server: server, text: StatementText.request(statement))]
                if let reply = StatementText.reply(statement) { group.append(.reply(to: session, server: server, text: reply)) }
                var warned = false
                while position < entries.count, entries[position].session == session,
                      case let .event(event)? = entries[position].entry?.kind {
                    position += 1
                    if case let .staleValueKept(_, column, kept, row) = event {
                        group.append(.note(on: session, text: "!! identity map kept \(column)=\(displayValue(kept)), row said \(displayValue(row))", warning: true))
                        warned = true
                    } else {
                        group.append(.note(on: session, text: event.description, warning: false))
                    }
                }
                for divergence in history.divergences[located.index] ?? [] {
                    // A standby's row may lag the primary (layer replica) or the snapshot: say only what differs.
                    let text = divergence.ownWrite
                        ? "!! \(divergence.column)=\(displayValue(divergence.row)) is this transaction's own uncommitted write; committed: \(displayValue(divergence.committed))"
                        : statement.server == ClusterSet.standby
                        ? "!! standby: row shows \(divergence.column)=\(displayValue(divergence.row)), the primary committed \(displayValue(divergence.committed))"
                        : "!! snapshot: row shows \(divergence.column)=\(displayValue(divergence.row)), committed is \(displayValue(divergence.committed))"
                    group.append(.note(on: session, text: text, warning: true))
                    warned = true
                }
                if warned { items.append(.highlight(group)) } else { items += group }
            }
        }
        return items
    }

    /// The assertion reads the object without SQL: show what it read, marked when stale.
    private static func observationNotes(_ section: TraceSection, _ result: CaseResult) -> [Item] {
        guard section.observation?.phase == .assertion else { return [] }
        let observation = result.observation
        let read = "test reads the object: status=\(displayValue(observation.objectStatus))"
        guard observation.verdict == .stale else { return [.note(on: section.session, text: read, warning: false)] }
        return [.highlight([.note(on: section.session,
                                   text: "!! stale read: \(read), committed is \(displayValue(observation.committedStatus))",
                                   warning: true)])]
    }

    private static func summary(_ result: CaseResult) -> [String] {
        let observation = result.observation
        let test = result.sessionLabels.first ?? "test"
        if let error = result.error {
            return ["\(error.summary) (\(error.step): \(error.message))", "committed \(displayValue(observation.committedStatus))"]
        }
        let assertion = observation.outcome == .noAssertion ? "no expect" : "test \(observation.testPasses ? "passes" : "fails")"
        var verdict = "verdict: \(observation.verdict.rawValue), \(assertion), outcome: \(observation.outcome.rawValue)"
        if let layer = observation.layer { verdict += " (stale layer: \(layer.rawValue))" }
        return [
            "object status \(displayValue(observation.objectStatus)), \(test)'s transaction sees \(displayValue(observation.transactionStatus)), "
                + "committed \(displayValue(observation.committedStatus))"
                + (observation.sameObject ? "" : ", the object is a new one"),
            verdict,
        ]
    }

}

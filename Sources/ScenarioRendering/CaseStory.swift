import LampSession
import Scenario

/// What a case's trace says happened, indexed for explanations: the sections, the replayed database
/// history, who is the test, the application and the observer, and where each trace index belongs.
struct CaseStory {
    let result: CaseResult
    let sections: [TraceSection]
    let history: DatabaseHistory
    let test: String
    /// The scenario line (or observation title) of each trace index.
    private let places: [Int: String]

    init(_ result: CaseResult) {
        self.result = result
        sections = TraceSection.split(result.events)
        history = DatabaseHistory(result.events)
        test = result.sessionLabels.first ?? "S1"
        var places: [Int: String] = [:]
        for section in sections {
            let place = section.line.map { "line \($0)" } ?? "the observation (\(section.observation?.description ?? ""))"
            for entry in section.entries { places[entry.index] = place }
        }
        self.places = places
    }

    /// `line 15`, or `the observation (close S1)`.
    func place(_ index: Int) -> String { places[index] ?? "the start" }

    /// The steps an application session ran (switch-on).
    var applicationSections: [TraceSection] {
        sections.filter { !$0.isObservation && $0.line != nil && $0.session != test && $0.session != result.observerLabel }
    }

    /// The test's steps after the application's last step (all of them when there is none).
    var testSectionsAfterApplication: [TraceSection] {
        let last = sections.lastIndex { section in
            section.line != nil && applicationSections.contains { $0.line == section.line }
        } ?? -1
        return sections.enumerated().filter { $0.offset > last && !$0.element.isObservation && $0.element.session == test }.map(\.element)
    }

    /// The INSERTs and UPDATEs the application's steps sent (through whichever session).
    var applicationWrites: [(index: Int, session: String, values: [String: String?])] {
        applicationSections.flatMap(\.entries).compactMap { located in
            guard let write = history.transaction(writing: located.index)?.writes.first(where: { $0.index == located.index })
            else { return nil }
            return (located.index, write.session, write.values)
        }
    }

    /// The transaction that committed an application write, if any did.
    var applicationCommit: DatabaseHistory.Transaction? {
        applicationWrites.lazy.compactMap { history.transaction(writing: $0.index) }.first { $0.committed }
    }

    /// True when an application write ran in the test's own transaction and was never committed
    /// (the shared session with app=flush): the test saw a change nobody committed.
    var testSawUncommittedWrite: Bool {
        applicationWrites.contains { write in
            guard let transaction = history.transaction(writing: write.index) else { return false }
            return transaction.session == test && !transaction.committed
        }
    }

    /// The test's last load of the lamp through its session before the observation (a SELECT returning the key).
    var finalLoad: LocatedEntry? {
        sections.filter { !$0.isObservation }.flatMap(\.entries).last { located in
            guard located.session == test, case .load? = located.statement?.purpose else { return false }
            return located.statement?.error == nil
        }
    }

    /// The test's plain SQL read during the observation (what its transaction sees).
    var observationRead: LocatedEntry? {
        sections.filter(\.isObservation).flatMap(\.entries).first { located in
            located.session == test && located.statement?.isRead == true
        }
    }

    /// The isolation level a transaction ran at; `nil` when it is the server's and that is not known.
    func isolation(of transaction: DatabaseHistory.Transaction) -> IsolationLevel? {
        if let level = transaction.isolation { return level }
        guard result.settings.isolation == .serverDefault else { return nil }
        return IsolationLevel(argument: result.isolationInEffect)
    }
}

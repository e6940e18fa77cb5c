import LampSession
import ScenarioModel

/// What a case's trace says happened, indexed for explanations: the sections, the replayed database
/// history, who is the test, the application and the observer, and where each trace index belongs.
/// Everything is worked out once, in `init`, in time linear in the trace: the narrations ask for
/// the same facts once per step, and a trace may have thousands of steps.
struct CaseStory {
    /// An INSERT or UPDATE that an application step sent (through whichever session).
    typealias ApplicationWrite = (index: Int, session: String, values: [String: String?])

    let result: CaseResult
    let sections: [TraceSection]
    let history: DatabaseHistory
    let test: String
    /// The steps an application session ran (switch-on).
    let applicationSections: [TraceSection]
    /// The test's steps after the application's last step (all of them when there is none).
    let testSectionsAfterApplication: [TraceSection]
    /// The INSERTs and UPDATEs the application's steps sent (through whichever session).
    let applicationWrites: [ApplicationWrite]
    /// The transaction that committed an application write, if any did.
    let applicationCommit: DatabaseHistory.Transaction?
    /// True when an application write ran in the test's own transaction and was never committed
    /// (the shared session with app=flush): the test saw a change nobody committed.
    let testSawUncommittedWrite: Bool
    /// The test's last load of the lamp through its session before the observation (a SELECT returning the key).
    let finalLoad: LocatedEntry?
    /// The test's plain SQL read during the observation (what its transaction sees).
    let observationRead: LocatedEntry?
    /// The scenario line (or observation title) of each trace index.
    private let places: [Int: String]

    init(_ result: CaseResult) {
        self.result = result
        let sections = TraceSection.split(result.events)
        self.sections = sections
        let history = DatabaseHistory(result.events)
        self.history = history
        let test = result.sessionLabels.first ?? "S1"
        self.test = test
        var places: [Int: String] = [:]
        for section in sections {
            let place = section.line.map { "line \($0)" } ?? "the observation (\(section.observation?.description ?? ""))"
            for entry in section.entries { places[entry.index] = place }
        }
        self.places = places

        let applicationSections = sections.filter {
            !$0.isObservation && $0.line != nil && $0.session != test && $0.session != result.observerLabel
        }
        self.applicationSections = applicationSections
        let applicationLines = Set(applicationSections.compactMap(\.line))
        let last = sections.lastIndex { section in section.line.map(applicationLines.contains) ?? false } ?? -1
        testSectionsAfterApplication = sections.enumerated()
            .filter { $0.offset > last && !$0.element.isObservation && $0.element.session == test }.map(\.element)
        let applicationWrites: [ApplicationWrite] = applicationSections.flatMap(\.entries).compactMap { located in
            guard let write = history.write(at: located.index) else { return nil }
            return (located.index, write.session, write.values)
        }
        self.applicationWrites = applicationWrites
        applicationCommit = applicationWrites.lazy.compactMap { history.transaction(writing: $0.index) }.first { $0.committed }
        testSawUncommittedWrite = applicationWrites.contains { write in
            guard let transaction = history.transaction(writing: write.index) else { return false }
            return transaction.session == test && !transaction.committed
        }
        finalLoad = sections.lazy.filter { !$0.isObservation }.flatMap(\.entries).last { located in
            guard located.session == test, case .load? = located.statement?.purpose else { return false }
            return located.statement?.error == nil
        }
        observationRead = sections.lazy.filter(\.isObservation).flatMap(\.entries).first { located in
            located.session == test && located.statement?.isRead == true
        }
    }

    /// `line 15`, or `the observation (close S1)`.
    func place(_ index: Int) -> String { places[index] ?? "the start" }

    /// The isolation level a transaction ran at; `nil` when it is the server's and that is not known.
    func isolation(of transaction: DatabaseHistory.Transaction) -> IsolationLevel? {
        if let level = transaction.isolation { return level }
        guard result.settings.isolation == .serverDefault else { return nil }
        return IsolationLevel(argument: result.isolationInEffect.test)
    }
}

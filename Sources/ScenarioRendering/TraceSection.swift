import LampSession
import ScenarioModel

/// An event of the log with its position in it and the scenario line of the step that recorded it.
struct LocatedEntry {
    var index: Int
    var event: CaseEvent
    /// The scenario line of the enclosing step; `nil` during observation.
    var line: Int?

    /// The session entry (statement or ORM event), if this is one.
    var entry: TraceEntry? {
        if case let .session(entry) = event { return entry }
        return nil
    }

    /// The statement, if this is one.
    var statement: TracedStatement? {
        if case let .statement(statement)? = entry?.kind { return statement }
        return nil
    }

    var session: String { event.session }
}

/// One step of a case as its event log shows it: the marker that opened it and what was recorded
/// until the next one.
struct TraceSection {
    enum Marker {
        /// Entries before the first marker.
        case start
        case step(StepMarker)
        case observation(ObservationMarker)
    }

    var marker: Marker
    var entries: [LocatedEntry]

    /// `line 13: S1 refresh`, `observe: close S1`, or empty before the first marker.
    var title: String {
        switch marker {
        case .start: return ""
        case let .step(step): return step.title
        case let .observation(observation): return observation.title
        }
    }

    /// The session the marker names (the observer for the last observation).
    @inline(never)  // Swift 6.3.1 -O crashed (CopyPropagation) on callers that inlined it
    var session: String {
        switch marker {
        case .start: return entries.first?.session ?? ""
        case let .step(step): return step.session
        case let .observation(observation): return observation.session
        }
    }

    /// The scenario line of a step; `nil` for observation sections.
    @inline(never)  // Swift 6.3.1 -O crashed (CopyPropagation) on callers that inlined it
    var line: Int? {
        if case let .step(step) = marker { return step.line }
        return nil
    }

    /// The step's action; `nil` for observation sections.
    @inline(never)  // Swift 6.3.1 -O crashed (CopyPropagation) on callers that inlined it
    var action: StepAction? {
        if case let .step(step) = marker { return step.action }
        return nil
    }

    /// The step as its file line spells it, lamp name included (`select a`); `nil` for observation sections.
    var stepText: String? {
        if case let .step(step) = marker { return step.action.text(lamp: step.lamp) }
        return nil
    }

    /// The observation phase; `nil` for steps.
    @inline(never)  // Swift 6.3.1 -O crashed (CopyPropagation) on callers that inlined it
    var observation: ObservationMarker? {
        if case let .observation(observation) = marker { return observation }
        return nil
    }

    /// True for the sections the runner adds after the last step.
    var isObservation: Bool { observation != nil }

    /// Splits an event log at its markers; entries before the first marker form an untitled section.
    static func split(_ events: [CaseEvent]) -> [TraceSection] {
        var sections: [TraceSection] = []
        var current: TraceSection?
        for (index, event) in events.enumerated() {
            switch event {
            case let .step(step):
                if let current { sections.append(current) }
                current = TraceSection(marker: .step(step), entries: [])
            case let .observation(observation):
                if let current { sections.append(current) }
                current = TraceSection(marker: .observation(observation), entries: [])
            case .session, .expectation:
                // Appended in place (a copy of `current` would copy its entries for every event).
                if current == nil { current = TraceSection(marker: .start, entries: []) }
                let line = current?.line
                current?.entries.append(LocatedEntry(index: index, event: event, line: line))
            }
        }
        if let current { sections.append(current) }
        return sections
    }
}

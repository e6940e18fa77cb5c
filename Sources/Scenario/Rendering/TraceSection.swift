import LampSession

/// A trace entry with its position in the trace and the scenario line of the step that recorded it.
struct LocatedEntry {
    var index: Int
    var entry: TraceEntry
    /// The scenario line of the enclosing step; `nil` during observation.
    var line: Int?
}

/// One step of a case as its trace shows it: the marker that opened it and what was recorded until the next one.
struct TraceSection {
    /// The marker text, e.g. `line 13: S1 refresh` or `observe: close S1`.
    var title: String
    /// The session the marker names (the observer for the last observation).
    var session: String
    /// The scenario line of a step; `nil` for observation sections.
    var line: Int?
    var entries: [LocatedEntry]

    /// True for the sections the runner adds after the last step (`observe: ...`).
    var isObservation: Bool { title.hasPrefix("observe:") }

    /// The step's operation as the scenario spells it (`refresh`, `select populate-existing`), or the title.
    var action: String {
        guard line != nil, let colon = title.firstIndex(of: ":") else { return title }
        let rest = title[title.index(after: colon)...].split(separator: " ", maxSplits: 1)
        return rest.count == 2 ? String(rest[1]) : title
    }

    /// Splits a trace at its markers; entries before the first marker form an untitled section.
    static func split(_ trace: [TraceEntry]) -> [TraceSection] {
        var sections: [TraceSection] = []
        var current: TraceSection?
        for (index, entry) in trace.enumerated() {
            if case let .marker(text) = entry.kind {
                if let current { sections.append(current) }
                current = TraceSection(title: text, session: entry.session, line: lineNumber(text), entries: [])
                continue
            }
            var section = current ?? TraceSection(title: "", session: entry.session, line: nil, entries: [])
            section.entries.append(LocatedEntry(index: index, entry: entry, line: section.line))
            current = section
        }
        if let current { sections.append(current) }
        return sections
    }

    /// `13` from `line 13: S1 refresh`.
    static func lineNumber(_ title: String) -> Int? {
        guard title.hasPrefix("line "), let colon = title.firstIndex(of: ":") else { return nil }
        return Int(title[title.index(title.startIndex, offsetBy: 5)..<colon])
    }
}

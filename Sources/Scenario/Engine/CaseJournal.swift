import LampSession

/// A case's event log as it is written: the sessions' trace, drained into `events` between the
/// case's own markers (steps, observation phases, expectations).
struct CaseJournal {
    /// What the sessions record.
    let trace = Trace()
    private(set) var events: [CaseEvent] = []
    private var drained = 0

    /// Appends what the sessions recorded since the last call, then `event`.
    mutating func record(_ event: CaseEvent? = nil) {
        events += trace.entries[drained...].map(CaseEvent.session)
        drained = trace.entries.count
        if let event { events.append(event) }
    }
}

import ScenarioModel

/// Summary sentences about cases that did not run to their last step: those an error, a
/// precondition of the server's configuration (not applicable) or a blocked step ended, and those `--stop-at-failed-expect` ended at a failed `expect`.
enum CaseEndings {
    static func sentences(_ results: [CaseResult]) -> [String] {
        var lines: [String] = []
        let errors = results.filter { $0.error.map { !$0.isBlocked && !$0.isNotApplicable } ?? false }
        if !errors.isEmpty {
            lines.append("Ended by an error (that is the case's outcome; the remaining cases ran): "
                + grouped(errors, within: results) { $0.error?.summary ?? "" } + ".")
        }
        let invisible = results.filter(\.viewCouldNotSeeTestData)
        if !invisible.isEmpty {
            lines.append("The view could not see the test's data (TestCase keeps it uncommitted; a live server's request has its own "
                + "connection), so its DoesNotExist is the test setup, not a bug in the view: \(SummaryRenderer.describe(invisible, within: results)).")
        }
        let notApplicable = results.filter { $0.error?.isNotApplicable ?? false }
        if !notApplicable.isEmpty {
            lines.append("Not applicable on this server (its configuration lacks what a step needs; the remaining cases ran): "
                + grouped(notApplicable, within: results) { "line \($0.error?.line.map(String.init) ?? "?"): \($0.error?.message ?? "")" } + ".")
        }
        let blocked = results.filter { $0.error?.isBlocked ?? false }
        if !blocked.isEmpty {
            lines.append("Blocked (a step waited on a lock held by another session of the scenario; it was cancelled): "
                + grouped(blocked, within: results) { "\($0.error?.step ?? "") waited for \($0.error?.holder ?? "another session")" } + ".")
        }
        let stopped = results.filter { $0.stoppedAtLine != nil }
        if !stopped.isEmpty {
            lines.append("Stopped at a failed expect (--stop-at-failed-expect): "
                + grouped(stopped, within: results) { "line \($0.stoppedAtLine ?? 0)" } + ".")
            let differing = stopped.filter { $0.outcomeWithoutStopping != $0.outcome }
            if differing.isEmpty {
                lines.append("Run to their end instead, these cases give the same outcome.")
            } else {
                lines.append("Run to their end instead, these give another outcome: "
                    + grouped(differing, within: results) { "\($0.outcomeWithoutStopping?.rawValue ?? "?") instead of \($0.outcomeText)" } + ".")
            }
        }
        return lines
    }

    /// `none (error at line 9: InvalidRequestError)`, one group per distinct note, each naming
    /// its strategies with the settings their cases share (as the rest of the summary does).
    static func grouped(_ subset: [CaseResult], within all: [CaseResult], note: (CaseResult) -> String) -> String {
        var notes: [String] = []
        for result in subset where !notes.contains(note(result)) { notes.append(note(result)) }
        return notes.map { text in
            "\(SummaryRenderer.describe(subset.filter { note($0) == text }, within: all)) (\(text))"
        }.joined(separator: "; ")
    }
}

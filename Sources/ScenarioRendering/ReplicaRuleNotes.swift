import LampSession
import ScenarioModel

/// `--explain`'s sentences for the replica rules that routed the test's read or held the
/// application's commit: `sticky=` (Rails' rule) and `synchronous_commit=remote_apply`.
enum ReplicaRuleNotes {
    static func sentences(_ result: CaseResult, test: String) -> [String] {
        var sentences: [String] = []
        let observation = result.observation
        if let window = observation.stickyWindowMilliseconds {
            sentences.append(observation.readsFrom == ClusterSet.primary
                ? "Sticky routing (sticky=\(window) ms, Rails' rule): \(test)'s own write was less than \(window) ms before its session "
                    + "started, so its reads went to the primary."
                : "Sticky routing (sticky=\(window) ms, Rails' rule) sends \(test)'s reads to the primary only after its own write; "
                    + "\(test)'s session had written nothing (its close ended the window, and the application's commit is not its write), "
                    + "so it read the standby.")
        }
        if let session = remoteApplySession(result) {
            let took = observation.commitMilliseconds.map { " took \($0) ms:" } ?? ""
            sentences.append("\(session) committed with synchronous_commit=remote_apply: its COMMIT\(took) it returned only once the "
                + "standby had applied it, so a read on the standby after it sees it; every such write pays about the replay delay.")
        }
        return sentences
    }

    /// The application session that set synchronous_commit=remote_apply, if any.
    private static func remoteApplySession(_ result: CaseResult) -> String? {
        for event in result.events {
            guard case let .session(entry) = event, case let .statement(statement) = entry.kind,
                  statement.purpose == .synchronousCommit(.remoteApply) else { continue }
            return entry.session
        }
        return nil
    }
}

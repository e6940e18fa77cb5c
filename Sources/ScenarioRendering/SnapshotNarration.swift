import LampSession
import ScenarioModel

/// Which transaction's snapshot the test's last read ran in, and whether it could see the application's commit.
enum SnapshotNarration {
    static func sentences(_ story: CaseStory) -> [String] {
        let test = story.test
        // A case an error ended read nothing in the test's transaction at the observation.
        guard story.result.error == nil, let read = story.finalLoad ?? story.observationRead,
              let transaction = story.history.transaction(of: test, at: read.index) else { return [] }
        let seen = displayValue(story.result.observation.transactionStatus)
        let plain = "a plain SQL read in it at the observation returned \(seen)"
        let commit = story.applicationCommit
        let commitText = commit.flatMap { commit in commit.end.map { "\(commit.session)'s COMMIT at \(story.place($0))" } }
        var sentences: [String] = []
        if let own = story.applicationWrites.first(where: { story.history.transaction(writing: $0.index)?.begin == transaction.begin }) {
            sentences.append("\(test)'s transaction saw \(displayValue(own.values["status"] ?? nil)) because the application's write ran inside it: "
                + "a transaction sees its own uncommitted writes.")
        }
        switch story.isolation(of: transaction) {
        case .readCommitted? where story.result.observation.readsFrom == ClusterSet.standby:
            sentences.append("Under read committed each statement of \(test)'s transaction (begun at \(story.place(transaction.begin))) "
                + "takes a fresh snapshot, but on the hot standby a snapshot holds only the commits the standby has replayed "
                + "(it applies each commit record recovery_min_apply_delay after receiving it); \(plain).")
        case .readCommitted?:
            let saw = commitText.map { "so its SELECT at \(story.place(read.index)) already saw \($0)" }
                ?? "so its SELECT at \(story.place(read.index)) saw everything committed before it"
            sentences.append("Under read committed each statement of \(test)'s transaction (begun at \(story.place(transaction.begin))) "
                + "takes a fresh snapshot, \(saw); \(plain).")
        case let level?:
            guard let first = transaction.firstStatement else { break }
            var sentence = "Under \(level.rawValue) a transaction keeps the snapshot taken at its first statement: \(test)'s took it at "
                + story.place(first)
            if let commitText, let end = commit?.end {
                sentence += first < end
                    ? ", before \(commitText), so it still shows the old status until the transaction ends; \(plain)."
                    : ", after \(commitText), so it includes that change; \(plain)."
                if first > end, let previous = story.history.transaction(of: test, endedBefore: transaction.begin),
                   let previousEnd = previous.end, previousEnd > end {
                    sentence += " The earlier transaction (begun at \(story.place(previous.begin))) had ended at \(story.place(previousEnd))."
                }
            } else {
                sentence += "; no application write was committed, so the snapshot hides nothing; \(plain)."
            }
            if story.result.observation.readsFrom == ClusterSet.standby {
                sentence += " On the hot standby that snapshot holds only the commits it had replayed when it was taken."
            }
            sentences.append(sentence)
        case nil:
            sentences.append("\(test)'s transaction began at \(story.place(transaction.begin)) at the server's default isolation; \(plain).")
        }
        return sentences
    }
}

public import ScenarioModel
import LampApp
import LampSession

/// A few sentences after the table saying what the run showed, computed from the results.
public enum SummaryRenderer {
    public static func render(_ results: [CaseResult]) -> String {
        guard !results.isEmpty else { return "No cases ran.\n" }
        let stale = results.filter { $0.verdict == .stale }
        let ended = results.filter { $0.error != nil }
        let notApplicable = ended.filter { $0.error?.isNotApplicable ?? false }.count
        var lines: [String] = []
        var counts = "\(results.count) case\(results.count == 1 ? "" : "s"): \(results.count - stale.count - ended.count) fresh, \(stale.count) stale"
        if ended.count > notApplicable { counts += ", \(ended.count - notApplicable) ended by an error or a blocked step" }
        if notApplicable > 0 { counts += ", \(notApplicable) not applicable on this server" }
        lines.append(counts + ".")

        for (layer, sentence) in Self.layerSentences {
            let cases = stale.filter { $0.observation.layer == layer }
            if !cases.isEmpty { lines.append("\(sentence): \(describe(cases, within: results)).") }
        }
        let falsePasses = results.filter { $0.error == nil && $0.observation.outcome == .falsePass }
        if !falsePasses.isEmpty {
            lines.append("False passes (the test is green, but the committed status disagrees): \(describe(falsePasses, within: results)).")
        }
        let trueFailures = results.filter { $0.error == nil && $0.observation.outcome == .trueFailure }
        if !trueFailures.isEmpty {
            lines.append("True failures (the test fails, rightly: its object matches the committed status): \(describe(trueFailures, within: results)).")
        }
        lines += CaseEndings.sentences(results)
        lines += fixtureSentences(results)
        let strategies = orderedNames(results)
        // A fresh read of a change the fixture destroyed is no working fix.
        let working = strategies.filter { name in
            results.filter { $0.scenario == name }.allSatisfy { $0.verdict == .fresh && $0.observation.fixture?.appChangeSurvives != false }
        }
        if !working.isEmpty && working.count < strategies.count {
            lines.append("Fresh in every case of this run: \(working.joined(separator: ", ")).")
        } else if working.count == strategies.count {
            lines.append("Every case read fresh.")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What "committed" means under the recipes that never commit, and where the application's
    /// change did not survive to the end of the test.
    static func fixtureSentences(_ results: [CaseResult]) -> [String] {
        var lines: [String] = []
        let joined = results.filter { $0.settings.fixture.joinMode != nil }
        if !joined.isEmpty {
            let recipes = orderedValues(joined.map(\.settings.fixture.rawValue)).joined(separator: " and ")
            lines.append("Under \(recipes) nothing is ever committed: \"committed\" is what the shared connection's outer transaction "
                + "held at the end of the test, before teardown; other connections never see the row.")
        }
        let lost = results.filter { $0.observation.fixture?.appChangeLost == true }
        if !lost.isEmpty {
            lines.append("The application's change is lost (gone from what is committed at the end of the test): \(describe(lost, within: results)).")
        }
        let unseen = results.filter { $0.observation.fixture?.appChangeUnseen == true }
        if !unseen.isEmpty {
            lines.append("The application's change is committed but unseen by the test's connection at the end (its snapshot, or a standby behind): "
                + "\(describe(unseen, within: results)).")
        }
        return lines
    }

    static func orderedValues(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    static func orderedNames(_ results: [CaseResult]) -> [String] {
        orderedValues(results.map(\.scenario))
    }

    /// `none, commit (expire_on_commit=false)`: per strategy, the settings its listed cases share,
    /// where they are not all of that strategy's cases in the run.
    static func describe(_ subset: [CaseResult], within all: [CaseResult]) -> String {
        orderedNames(subset).map { name in
            let picked = subset.filter { $0.scenario == name }
            let every = all.filter { $0.scenario == name }
            guard picked.count < every.count else { return name }
            let conditions = conditions(picked, every)
            return conditions.isEmpty ? name : "\(name) (\(conditions))"
        }.joined(separator: ", ")
    }

    /// Each stale layer's line, in the order the summary gives them.
    static let layerSentences: [(StaleLayer, String)] = [
        (.identityMap, "Stale in the identity map (S1's transaction saw the committed value; the loaded object kept the old one)"),
        (.instanceCopy, "Stale in the model instance (S1's transaction saw the committed value; the instance is a copy made before the commit)"),
        (.querysetCache, "Stale in the QuerySet's cache (S1's transaction saw the committed value; iterating the evaluated QuerySet again gave its cached instance)"),
        (.rolledBackSavepoint, "Stale from a rolled-back savepoint (S1's transaction saw the committed value; the object kept one "
            + "a savepoint wrote before it was rolled back)"),
        (.snapshot, "Stale in the snapshot (S1's transaction itself did not see the committed value)"),
        (.replica, "Stale in the replica (S1 read a hot standby that had not replayed the app's commit)"),
        (.uncommittedWrite, "Stale from an uncommitted write (S1's transaction saw its own change, which was never committed)"),
    ]

    static func conditions(_ picked: [CaseResult], _ every: [CaseResult]) -> String {
        func values<T: Hashable>(_ key: (CaseResult) -> T, _ list: [CaseResult]) -> [T] {
            var seen: [T] = []
            for value in list.map(key) where !seen.contains(value) { seen.append(value) }
            return seen
        }
        let isolation = values({ $0.isolationInEffect.description }, picked)
        let expiry = values({ $0.settings.expireOnCommit }, picked)
        let app = values({ $0.settings.app }, picked)
        let driver = values({ $0.settings.driver }, picked)
        let fixture = values({ $0.settings.fixture }, picked)
        let factorable = isolation.count * expiry.count * app.count * driver.count * fixture.count == picked.count
        guard factorable else {
            return picked.map { $0.settingsLabel() }.joined(separator: "; ")
        }
        var parts: [String] = []
        if isolation.count < values({ $0.isolationInEffect.description }, every).count { parts.append(isolation.joined(separator: " or ")) }
        if expiry.count < values({ $0.settings.expireOnCommit }, every).count {
            parts.append("expire_on_commit=" + expiry.map(String.init).joined(separator: "/"))
        }
        if app.count < values({ $0.settings.app }, every).count { parts.append("app=" + app.map(\.rawValue).joined(separator: "/")) }
        if driver.count < values({ $0.settings.driver }, every).count {
            parts.append("driver=" + driver.map(\.rawValue).joined(separator: "/"))
        }
        if fixture.count < values({ $0.settings.fixture }, every).count {
            parts.append("fixture=" + fixture.map(\.rawValue).joined(separator: "/"))
        }
        return parts.joined(separator: ", ")
    }
}

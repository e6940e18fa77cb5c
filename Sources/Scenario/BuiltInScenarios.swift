/// The built-in scenarios: the nine fix strategies, each a scenario file from
/// `Fixtures/scenarios/` compiled into the binary (so `--fix X` runs exactly the file a user can read).
public enum BuiltInScenarios {
    /// SQLAlchemy's strategies in the order the brief lists them, with their file text.
    public static var sources: [(name: String, text: String)] { SQLAlchemyProfile.strategies }

    /// The replica scenarios (`scenario --replica`): the test reads a hot standby, or routes its
    /// read around it. Not part of the default run: they need a standby.
    public static let replicaSources: [(name: String, text: String)] = [
        ("replica-none", scenarioText(PackageResources.replica_none_scenario)),
        ("replica-read-primary", scenarioText(PackageResources.replica_read_primary_scenario)),
        ("replica-wait-lsn", scenarioText(PackageResources.replica_wait_lsn_scenario)),
        ("replica-wait-lsn-too-early", scenarioText(PackageResources.replica_wait_lsn_too_early_scenario)),
        ("replica-identity-map", scenarioText(PackageResources.replica_identity_map_scenario)),
        ("replica-sticky-window", scenarioText(PackageResources.replica_sticky_window_scenario)),
        ("replica-remote-apply", scenarioText(PackageResources.replica_remote_apply_scenario)),
    ]

    /// SQLAlchemy's fixture-recipe scenarios: runnable by name with `--fix`; not part of `--fix all`.
    public static var fixtureSources: [(name: String, text: String)] { SQLAlchemyProfile.otherBuiltIns }

    /// An ORM's strategies (what `--fix all` runs), in order.
    public static func names(for orm: ORM) -> [String] { orm.profile.strategies.map(\.name) }

    /// Every built-in of an ORM that runs by name (strategies and the others; not replica ones).
    public static func runnableNames(for orm: ORM) -> [String] { (orm.profile.strategies + orm.profile.otherBuiltIns).map(\.name) }

    /// The fixture-recipe scenario names, in order.
    public static var fixtureNames: [String] { fixtureSources.map(\.name) }

    /// The strategy names, in order.
    public static var names: [String] { sources.map(\.name) }

    /// The replica scenario names, in order.
    public static var replicaNames: [String] { replicaSources.map(\.name) }

    /// The file text of one built-in (a strategy or a replica scenario), or `nil`.
    public static func source(named name: String) -> String? {
        (replicaSources + ORM.allCases.flatMap { $0.profile.strategies + $0.profile.otherBuiltIns }).first { $0.name == name }?.text
    }

    /// Parses one built-in (they are checked by the test suite, so parsing does not fail).
    public static func definition(named name: String) throws -> ScenarioDefinition? {
        guard let text = source(named: name) else { return nil }
        return try ScenarioParser(file: "built-in \(name).scenario").parse(text)
    }
}

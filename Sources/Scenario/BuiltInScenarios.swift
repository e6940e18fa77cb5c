/// The built-in scenarios: the nine fix strategies, each a scenario file from
/// `Fixtures/scenarios/` compiled into the binary (so `--fix X` runs exactly the file a user can read).
public enum BuiltInScenarios {
    /// The strategies in the order the brief lists them, with their file text.
    public static let sources: [(name: String, text: String)] = [
        ("none", text(PackageResources.none_scenario)),
        ("shared-session", text(PackageResources.shared_session_scenario)),
        ("refresh", text(PackageResources.refresh_scenario)),
        ("expire", text(PackageResources.expire_scenario)),
        ("expire-all", text(PackageResources.expire_all_scenario)),
        ("close", text(PackageResources.close_scenario)),
        ("rollback", text(PackageResources.rollback_scenario)),
        ("commit", text(PackageResources.commit_scenario)),
        ("populate-existing", text(PackageResources.populate_existing_scenario)),
    ]

    /// The replica scenarios (`scenario --replica`): the test reads a hot standby, or routes its
    /// read around it. Not part of the default run: they need a standby.
    public static let replicaSources: [(name: String, text: String)] = [
        ("replica-none", text(PackageResources.replica_none_scenario)),
        ("replica-read-primary", text(PackageResources.replica_read_primary_scenario)),
        ("replica-wait-lsn", text(PackageResources.replica_wait_lsn_scenario)),
        ("replica-wait-lsn-too-early", text(PackageResources.replica_wait_lsn_too_early_scenario)),
        ("replica-identity-map", text(PackageResources.replica_identity_map_scenario)),
        ("replica-sticky-window", text(PackageResources.replica_sticky_window_scenario)),
        ("replica-remote-apply", text(PackageResources.replica_remote_apply_scenario)),
    ]

    /// The fixture-recipe scenarios: each recipe's characteristic trap (each fixes its recipe with
    /// `fixture=`). Runnable by name with `--fix`; not part of `--fix all` or the default run.
    public static let fixtureSources: [(name: String, text: String)] = [
        ("fixture-independent-truncate", text(PackageResources.fixture_independent_truncate_scenario)),
        ("fixture-override-get-db", text(PackageResources.fixture_override_get_db_scenario)),
        ("fixture-savepoint-join", text(PackageResources.fixture_savepoint_join_scenario)),
        ("fixture-rollback-per-test", text(PackageResources.fixture_rollback_per_test_scenario)),
    ]

    /// Django's strategies (`lampctl scenario --orm django`): the seed's flow with a Django test
    /// and view, once per fix.
    public static let djangoSources: [(name: String, text: String)] = [
        ("django-none", text(PackageResources.django_none_scenario)),
        ("django-refresh-from-db", text(PackageResources.django_refresh_from_db_scenario)),
        ("django-refresh-fields", text(PackageResources.django_refresh_fields_scenario)),
        ("django-get-again", text(PackageResources.django_get_again_scenario)),
        ("django-queryset-cache", text(PackageResources.django_queryset_cache_scenario)),
        ("django-new-queryset", text(PackageResources.django_new_queryset_scenario)),
        ("django-atomic", text(PackageResources.django_atomic_scenario)),
    ]

    /// Django's test-wrapper traps: each pins its wrapper (or shows a lock); runnable by name.
    public static let djangoWrapperSources: [(name: String, text: String)] = [
        ("django-test-client", text(PackageResources.django_test_client_scenario)),
        ("django-testcase-live-server", text(PackageResources.django_testcase_live_server_scenario)),
        ("django-select-for-update", text(PackageResources.django_select_for_update_scenario)),
    ]

    /// The strategies of an ORM (what `--fix all` runs), in order.
    public static func names(for orm: ORM) -> [String] {
        orm == .django ? djangoSources.map(\.name) : names
    }

    /// Every built-in of an ORM that runs by name (strategies and wrapper scenarios; not replica ones).
    public static func runnableNames(for orm: ORM) -> [String] {
        orm == .django ? (djangoSources + djangoWrapperSources).map(\.name) : names + fixtureNames
    }

    /// The fixture-recipe scenario names, in order.
    public static var fixtureNames: [String] { fixtureSources.map(\.name) }

    /// The strategy names, in order.
    public static var names: [String] { sources.map(\.name) }

    /// The replica scenario names, in order.
    public static var replicaNames: [String] { replicaSources.map(\.name) }

    /// The file text of one built-in (a strategy or a replica scenario), or `nil`.
    public static func source(named name: String) -> String? {
        (sources + replicaSources + fixtureSources + djangoSources + djangoWrapperSources).first { $0.name == name }?.text
    }

    /// Parses one built-in (they are checked by the test suite, so parsing does not fail).
    public static func definition(named name: String) throws -> ScenarioDefinition? {
        guard let text = source(named: name) else { return nil }
        return try ScenarioParser(file: "built-in \(name).scenario").parse(text)
    }

    private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}

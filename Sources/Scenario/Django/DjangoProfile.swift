/// Django's profile: its built-ins (Fixtures/django-scenarios), its default test wrapper (a live
/// server), and `DjangoCaseExecution`.
enum DjangoProfile: ORMProfile {
    /// The seed's flow with a Django test and view, once per fix.
    static let strategies: [(name: String, text: String)] = [
        ("django-none", scenarioText(PackageResources.django_none_scenario)),
        ("django-refresh-from-db", scenarioText(PackageResources.django_refresh_from_db_scenario)),
        ("django-refresh-fields", scenarioText(PackageResources.django_refresh_fields_scenario)),
        ("django-get-again", scenarioText(PackageResources.django_get_again_scenario)),
        ("django-queryset-cache", scenarioText(PackageResources.django_queryset_cache_scenario)),
        ("django-new-queryset", scenarioText(PackageResources.django_new_queryset_scenario)),
        ("django-atomic", scenarioText(PackageResources.django_atomic_scenario)),
    ]

    /// The test wrappers' traps and the lock a view waits on.
    static let otherBuiltIns: [(name: String, text: String)] = [
        ("django-test-client", scenarioText(PackageResources.django_test_client_scenario)),
        ("django-testcase-live-server", scenarioText(PackageResources.django_testcase_live_server_scenario)),
        ("django-select-for-update", scenarioText(PackageResources.django_select_for_update_scenario)),
    ]

    static let defaultWrapper = FixtureRecipe.djangoLiveServer

    static func execution(_ scenarioCase: ScenarioCase, pool: ConnectionPool, serverIsolation: String) -> any CaseRunning {
        DjangoCaseExecution(scenarioCase: scenarioCase, pool: pool, serverIsolation: serverIsolation)
    }
}

/// SQLAlchemy's profile: its built-ins (Fixtures/scenarios), its default recipe (independent
/// sessions), and `SQLAlchemyCaseExecution`. Its replica built-ins are `BuiltInScenarios.replicaSources`.
enum SQLAlchemyProfile: ORMProfile {
    /// The nine fix strategies, in the order the brief lists them.
    static let strategies: [(name: String, text: String)] = [
        ("none", scenarioText(PackageResources.none_scenario)),
        ("shared-session", scenarioText(PackageResources.shared_session_scenario)),
        ("refresh", scenarioText(PackageResources.refresh_scenario)),
        ("expire", scenarioText(PackageResources.expire_scenario)),
        ("expire-all", scenarioText(PackageResources.expire_all_scenario)),
        ("close", scenarioText(PackageResources.close_scenario)),
        ("rollback", scenarioText(PackageResources.rollback_scenario)),
        ("commit", scenarioText(PackageResources.commit_scenario)),
        ("populate-existing", scenarioText(PackageResources.populate_existing_scenario)),
    ]

    /// The fixture-recipe scenarios: each recipe's characteristic trap (each fixes its recipe with `fixture=`).
    static let otherBuiltIns: [(name: String, text: String)] = [
        ("fixture-independent-truncate", scenarioText(PackageResources.fixture_independent_truncate_scenario)),
        ("fixture-override-get-db", scenarioText(PackageResources.fixture_override_get_db_scenario)),
        ("fixture-savepoint-join", scenarioText(PackageResources.fixture_savepoint_join_scenario)),
        ("fixture-rollback-per-test", scenarioText(PackageResources.fixture_rollback_per_test_scenario)),
    ]

    static let defaultWrapper = FixtureRecipe.independent

    static func execution(_ scenarioCase: ScenarioCase, pool: ConnectionPool, serverIsolation: String) -> any CaseRunning {
        SQLAlchemyCaseExecution(scenarioCase: scenarioCase, pool: pool, serverIsolation: serverIsolation)
    }
}

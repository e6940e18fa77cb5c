import Foundation
import Postgres
import Scenario
import TestSupport
import Testing

/// Sessions connect to the cluster their declaration names, from the run's ClusterSet.
@Suite("Cluster set", .bounded)
struct ClusterSetTests {
    /// The built-in `none` with S1 on the named cluster.
    static func noneWithTest(on cluster: String) throws -> ScenarioDefinition {
        var definition = try ScenarioCases.builtIn("none")
        let index = try #require(definition.sessions.firstIndex { $0.name == "S1" })
        definition.sessions[index].cluster = cluster
        return definition
    }

    @Test("primary is always there, first; other names are looked up")
    func names() throws {
        let primary = try ConnectionString(try TestDatabase.url)
        let set = ClusterSet(primary: primary, others: ["standby": primary, "primary": try ConnectionString("host=elsewhere")])
        #expect(set.names == ["primary", "standby"])
        #expect(set.connectionString(for: "primary")?.options["host"] != "elsewhere", "primary is the one given on its own")
        #expect(set.connectionString(for: "standby") != nil)
        #expect(set.connectionString(for: "replica") == nil)
    }

    @Test("a session naming another cluster connects with that cluster's connection string")
    func sessionUsesItsCluster() throws {
        var options = try ConnectionString(try TestDatabase.url).options
        options["application_name"] = "lampctl-cluster-test-\(getpid())"
        let standby = try ConnectionString(options.map { "\($0.key)='\($0.value)'" }.joined(separator: " "))
        // A plain second name: `standby` now means a hot standby (lampctl waits for its replay).
        let runner = ScenarioRunner(clusters: ClusterSet(primary: try ConnectionString(try TestDatabase.url), others: ["second": standby]))
        var names: [String: String] = [:]
        runner.beforeStep = { context in
            guard context.phase == "observe" else { return }
            let admin = try TestDatabase.connect()
            defer { admin.close() }
            for (label, pid) in context.backends {
                let row = try admin.execute("SELECT application_name FROM pg_stat_activity WHERE pid = $1::int", [String(pid)])
                names[label] = row.rows.first?.first ?? nil
            }
        }
        let result = try #require(try runner.run(Dimensions().cases(for: [try Self.noneWithTest(on: "second")])).cases.first)
        #expect(names["S1@second"] == options["application_name"], "S1 declared cluster second")
        #expect(names["S2"] != options["application_name"], "S2 stays on the primary")
        #expect(result.observation.verdict == .stale, "the same database behind both names: none is still stale")
    }

    @Test("a session naming a cluster the run lacks ends the case with a clear error")
    func unknownCluster() throws {
        let runner = ScenarioRunner(connectionString: try ConnectionString(try TestDatabase.url))
        let error = try #require(throws: ScenarioRunError.self) {
            try runner.run(Dimensions().cases(for: [try Self.noneWithTest(on: "standby")]))
        }
        #expect(error.underlying is UnknownClusterError)
        #expect(error.message == "session S1 uses cluster 'standby', but this run has only primary")
    }
}

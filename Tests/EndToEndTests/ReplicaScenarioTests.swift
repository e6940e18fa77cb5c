import Foundation
import TestSupport
import Testing

/// `lampctl scenario --replica` against real streaming replication: the embedded pair (zero
/// set-up, a fresh home per test) and an external pair given by URL (started by the test).
@Suite("Replica scenarios end to end", .bounded(seconds: 600))
struct ReplicaScenarioTests {
    /// The JSON objects of `--json` output, one per line.
    static func objects(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    /// Explain text with what each run measures afresh masked: durations and WAL positions.
    static func maskingMeasurements(_ text: String) -> String {
        text.replacing(/\d+ ms later/, with: "N ms later").replacing(/took \d+ ms/, with: "took N ms").replacing(/\b[0-9A-F]+\/[0-9A-F]+\b/, with: "X/X")
    }

    /// Starts a kept embedded pair in a new home; its primary's and standby's URLs.
    /// `fromTemplate: false` runs initdb: copies of the initdb template share one system_identifier,
    /// and a test that needs two unrelated clusters must not have that.
    static func startPair(fromTemplate: Bool = true) throws -> (home: String, primary: String, standby: String) {
        let home = try EmbeddedDefaultTests.makeHome()
        var env: [String: String?] = ["LAMPCTL_HOME": home]
        if !fromTemplate { env["LAMPCTL_INITDB_TEMPLATE"] = .some(nil) }
        let started = try LampctlProcess.run(["db", "start", "--standby"], environment: env)
        #expect(started.status == 0, "\(started.stderr)")
        let primary = try LampctlProcess.run(["db", "url"], environment: env).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let standby = try LampctlProcess.run(["db", "url", "--standby"], environment: env).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return (home, primary, standby)
    }

    @Test("zero set-up: the embedded standby is made and read; the table matches its golden file; the JSON says where the test read and the lag")
    func embeddedPair() throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let env: [String: String?] = ["LAMPCTL_HOME": home]
        let table = try LampctlProcess.run(["scenario", "--replica"], environment: env)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stderr.isEmpty)
        let expected = try #require(try Fixtures.expected("expected/scenario-replica.txt", actual: table.stdout),
                                    "missing expected/scenario-replica.txt: run make fixtures")
        #expect(table.stdout == expected)

        let json = try LampctlProcess.run(["scenario", "--replica", "--json"], environment: env)
        #expect(json.status == 0, "\(json.stderr)")
        let cases = try Self.objects(json.stdout)
        let none = try #require(cases.first { $0["strategy"] as? String == "replica-none" })
        #expect(none["verdict"] as? String == "stale")
        #expect(none["layer"] as? String == "replica")
        #expect(none["reads_from"] as? String == "standby")
        let lag = try #require(none["replay_lag_ms"] as? Int)
        #expect(lag > 50 && lag < 5000, "the 400ms replay delay should show in the measured lag: \(lag) ms")
        let primary = try #require(cases.first { $0["strategy"] as? String == "replica-read-primary" })
        #expect(primary["verdict"] as? String == "fresh")
        #expect(primary["reads_from"] as? String == "primary")
        let layers = Dictionary(uniqueKeysWithValues: cases.map { ($0["strategy"] as? String ?? "", $0["layer"] as? String ?? "-") })
        #expect(layers == ["replica-none": "replica", "replica-read-primary": "-", "replica-wait-lsn": "-",
                           "replica-wait-lsn-too-early": "replica", "replica-identity-map": "identity map",
                           "replica-sticky-window": "replica", "replica-remote-apply": "-"])
        // Sticky routing did not apply: the test did not write, so it read the standby.
        let sticky = try #require(cases.first { $0["strategy"] as? String == "replica-sticky-window" })
        #expect(sticky["reads_from"] as? String == "standby")
        // remote_apply: the app's COMMIT waited about the 400 ms replay delay; a plain one did not.
        let remote = try #require(cases.first { $0["strategy"] as? String == "replica-remote-apply" })
        let remoteCommit = try #require(remote["commit_ms"] as? Int)
        #expect(remoteCommit >= 300 && remoteCommit < 5000, "remote_apply's COMMIT should wait the replay delay: \(remoteCommit) ms")
        let plainCommit = try #require(none["commit_ms"] as? Int)
        #expect(plainCommit < remoteCommit, "\(plainCommit) ms")

        // The trace shows the app's reported LSN and the standby's replay LSN at the wait.
        let trace = try LampctlProcess.run(["scenario", "--replica", "--fix", "replica-wait-lsn", "--trace"], environment: env)
        #expect(trace.stdout.contains("S2   [primary] SELECT pg_current_wal_insert_lsn()::text  -> pg_current_wal_insert_lsn='"))
        #expect(trace.stdout.contains("S1   [standby] SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn"))
        #expect(trace.stdout.contains("replayed='t' replay_lsn='"))

        // Each statement is marked with the server that ran it: S1's create on the primary, its reads on the standby.
        let stickyTrace = try LampctlProcess.run(["scenario", "--replica", "--fix", "replica-sticky-window", "--trace"], environment: env)
        #expect(stickyTrace.status == 0, "\(stickyTrace.stderr)")
        let stickyExpected = try #require(try Fixtures.expected("expected/scenario-replica-sticky-trace.txt", actual: stickyTrace.stdout),
                                          "missing expected/scenario-replica-sticky-trace.txt: run make fixtures")
        #expect(stickyTrace.stdout == stickyExpected)
        // The diagrams get a lifeline per server the case used (S1's create: the primary; its reads: the standby).
        for (format, file) in [("text", "expected/diagram-replica-sticky-window.txt"), ("mermaid", "expected/diagram-replica-sticky-window.mmd")] {
            let diagram = try LampctlProcess.run(["scenario", "--replica", "--fix", "replica-sticky-window", "--diagram", format], environment: env)
            #expect(diagram.status == 0, "\(diagram.stderr)")
            let expected = try #require(try Fixtures.expected(file, actual: diagram.stdout), "missing \(file): run make fixtures")
            #expect(diagram.stdout == expected)
        }

        // --explain says which rule made each replica read stale or fresh (measured numbers masked).
        let explain = try LampctlProcess.run(["scenario", "--replica", "--explain"], environment: env)
        #expect(explain.status == 0, "\(explain.stderr)")
        let explained = Self.maskingMeasurements(explain.stdout)
        let explainExpected = try #require(try Fixtures.expected("expected/scenario-replica-explain.txt", actual: explained),
                                           "missing expected/scenario-replica-explain.txt: run make fixtures")
        #expect(explained == explainExpected)

        // The default run is unchanged by the standby's existence: no replica keys.
        let plain = try LampctlProcess.run(["scenario", "--fix", "none", "--json"], environment: env)
        #expect(!plain.stdout.contains("reads_from"))
    }

    @Test("an external pair by --standby-url or STANDBY_URL runs; a wrong standby is named by the check it failed")
    func externalPair() throws {
        let pair = try Self.startPair()
        defer { EmbeddedDefaultTests.removeHome(pair.home) }
        let other = try Self.startPair(fromTemplate: false)  // its own system_identifier
        defer { EmbeddedDefaultTests.removeHome(other.home) }

        let run = try LampctlProcess.run(["scenario", "--replica", "--json", "--database-url", pair.primary, "--standby-url", pair.standby])
        #expect(run.status == 0, "\(run.stderr)")
        let cases = try Self.objects(run.stdout)
        #expect(cases.map { $0["layer"] as? String } == ["replica", nil, nil, "replica", "identity map", "replica", nil])
        let byEnvironment = try LampctlProcess.run(["scenario", "--replica", "--fix", "replica-none", "--json"],
                                                   environment: ["DATABASE_URL": pair.primary, "STANDBY_URL": pair.standby])
        #expect(byEnvironment.status == 0, "\(byEnvironment.stderr)")
        #expect(byEnvironment.stdout.contains("\"reads_from\": \"standby\""))
        // The standby had not replayed the app's commit: unseen by the test's connection, not lost.
        let fixtures = try LampctlProcess.run(["scenario", "--replica", "--fix", "replica-none", "--fixture", "all"],
                                              environment: ["DATABASE_URL": pair.primary, "STANDBY_URL": pair.standby])
        #expect(fixtures.status == 0, "\(fixtures.stderr)")
        #expect(fixtures.stdout.contains(" unseen "), "\(fixtures.stdout)")
        #expect(fixtures.stdout.contains("committed but unseen by the test's connection at the end (its snapshot, or a standby behind): replica-none"))
        #expect(!fixtures.stdout.contains("lost"), "\(fixtures.stdout)")

        // The standby given as the database: one line saying it takes no writes and what to do.
        let onStandby = try LampctlProcess.run(["scenario", "--fix", "none", "--database-url", pair.standby])
        #expect(onStandby.status == 69)
        #expect(onStandby.stderr.contains("this database takes no writes (a hot standby in recovery"), "\(onStandby.stderr)")
        #expect(onStandby.stderr.split(separator: "\n").count == 1)

        let notStandby = try LampctlProcess.run(["scenario", "--replica", "--database-url", pair.primary, "--standby-url", pair.primary])
        #expect(notStandby.status == 64)
        #expect(notStandby.stderr.hasPrefix("lampctl: --standby-url: "))
        #expect(notStandby.stderr.contains("is not a standby: pg_is_in_recovery() is false"))
        #expect(notStandby.stderr.split(separator: "\n").count == 1)

        let foreign = try LampctlProcess.run(["scenario", "--replica", "--database-url", pair.primary, "--standby-url", other.standby])
        #expect(foreign.status == 64)
        #expect(foreign.stderr.contains("does not replicate from the primary"))
        #expect(foreign.stderr.contains("system_identifier"))

        let unreachable = try LampctlProcess.run(["scenario", "--replica", "--database-url", pair.primary,
                                                  "--standby-url", "postgresql://postgres@/postgres?host=/nonexistent&port=1"])
        #expect(unreachable.status == 69)
        #expect(unreachable.stderr.hasPrefix("lampctl: --standby-url: "))

        let missing = try LampctlProcess.run(["scenario", "--replica", "--database-url", pair.primary])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("give --standby-url or STANDBY_URL"))
    }

    @Test("serializable on a hot standby: refused by name (64), left out of 'all' with a note")
    func serializable() throws {
        let pair = try Self.startPair()
        defer { EmbeddedDefaultTests.removeHome(pair.home) }
        let named = try LampctlProcess.run(["scenario", "--replica", "--isolation", "serializable",
                                            "--database-url", pair.primary, "--standby-url", pair.standby])
        #expect(named.status == 64)
        #expect(named.stderr.contains("refuses serializable on a hot standby"))
        let all = try LampctlProcess.run(["scenario", "--replica", "--isolation", "all", "--json",
                                          "--database-url", pair.primary, "--standby-url", pair.standby])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stderr.contains("runs read committed and repeatable read here"))
        #expect(try Self.objects(all.stdout).count == 14)
    }

    @Test("replica built-ins stay out of the default run and --list; --fix names them only with --replica")
    func separateFromTheNine() throws {
        let list = try LampctlProcess.run(["scenario", "--list"])
        #expect(!list.stdout.contains("replica-"))
        let replicaList = try LampctlProcess.run(["scenario", "--list", "--replica"])
        #expect(replicaList.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
                == ["replica-none", "replica-read-primary", "replica-wait-lsn", "replica-wait-lsn-too-early", "replica-identity-map",
                    "replica-sticky-window", "replica-remote-apply"])
        let wrong = try LampctlProcess.run(["scenario", "--fix", "replica-none", "--database-url", "postgresql://nowhere.invalid/x"])
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("(a replica scenario: add --replica)"))
    }

    @Test("pause-replay holds the app's commit back until resume-replay; on a primary-reading session it is refused in one line")
    func pauseAndResume() throws {
        let pair = try Self.startPair()
        defer { EmbeddedDefaultTests.removeHome(pair.home) }
        let directory = try EmbeddedDefaultTests.makeHome()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let paused = directory + "/paused.scenario"
        try """
            scenario paused
            session S1 test reads=standby
            session S2 app
            S1 create
            S1 close
            S1 pause-replay
            S2 switch-on
            S2 report-lsn
            S1 select
            S1 resume-replay
            S1 wait-lsn
            S1 sql-read
            S1 expect on

            """.write(toFile: paused, atomically: true, encoding: .utf8)
        // No delay: only the pause keeps the commit from the standby.
        let run = try LampctlProcess.run(["scenario", "--file", paused, "--replay-delay", "0", "--trace",
                                          "--database-url", pair.primary, "--standby-url", pair.standby])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("SELECT pg_wal_replay_pause()"))
        #expect(run.stdout.contains("SELECT pg_wal_replay_resume()"))
        // The select under the pause loaded 'off'; after resume and the wait, the transaction sees 'on'.
        #expect(run.stdout.contains("(identity map)"))

        let wrong = directory + "/wrong.scenario"
        try "scenario wrong\nsession S1 test reads=primary\nS1 create\nS1 pause-replay\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        let refused = try LampctlProcess.run(["scenario", "--file", wrong, "--database-url", pair.primary, "--standby-url", pair.standby])
        #expect(refused.status == 70)
        #expect(refused.stderr.contains("pause-replay: session S1 reads the primary"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
    }

    @Test("a snapshot taken before the replay: under repeatable read the standby is why the read is stale (replica), however long the test waits; under read committed the identity map")
    func snapshotBeforeReplay() throws {
        let pair = try Self.startPair()
        defer { EmbeddedDefaultTests.removeHome(pair.home) }
        let file = Fixtures.url("replica-user-scenarios/replica-snapshot-before-replay.scenario").path
        let run = try LampctlProcess.run(["scenario", "--file", file, "--json", "--isolation", "read-committed,repeatable-read",
                                          "--database-url", pair.primary, "--standby-url", pair.standby])
        #expect(run.status == 0, "\(run.stderr)")
        let cases = try Self.objects(run.stdout)
        let byIsolation = Dictionary(cases.map { (($0["isolation"] as? [String: Any])?["test"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        // The standby had replayed the commit long before the observation (wait-lsn); the
        // repeatable-read transaction still reads the snapshot it took while replay was paused.
        let repeatable = try #require(byIsolation["repeatable read"])
        #expect(repeatable["transaction_status"] as? String == "off")
        #expect(repeatable["layer"] as? String == "replica")
        let committed = try #require(byIsolation["read committed"])
        #expect(committed["transaction_status"] as? String == "on")
        #expect(committed["layer"] as? String == "identity map")
    }

    @Test("sticky=: within the window after its own write the session reads the primary; after it, or after close, the standby")
    func stickyWindow() throws {
        let pair = try Self.startPair()
        defer { EmbeddedDefaultTests.removeHome(pair.home) }
        let directory = try EmbeddedDefaultTests.makeHome()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func run(_ window: String) throws -> [String: Any] {
            let path = directory + "/sticky-\(window).scenario"
            try "scenario sticky\nsession S1 test reads=standby sticky=\(window)\nsession S2 app\nS1 create\nS2 switch-on\nS1 select\nS1 expect on\n"
                .write(toFile: path, atomically: true, encoding: .utf8)
            let result = try LampctlProcess.run(["scenario", "--file", path, "--json", "--database-url", pair.primary, "--standby-url", pair.standby])
            #expect(result.status == 0, "\(result.stderr)")
            return try #require(try Self.objects(result.stdout).first)
        }
        // Its own create a moment ago: the primary, fresh.
        let recent = try run("10s")
        #expect(recent["reads_from"] as? String == "primary")
        #expect(recent["verdict"] as? String == "fresh")
        // The window closed while the create waited for replay: the standby, stale.
        let expired = try run("1ms")
        #expect(expired["reads_from"] as? String == "standby")
        #expect(expired["layer"] as? String == "replica")
        let refused = try LampctlProcess.run(["scenario", "--file", "-"], input: "scenario x\nsession S1 test sticky=2s\nS1 create\n")
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("add reads=standby"))
    }

    @Test("remote_apply with no synchronous standby streaming: the case is not applicable, says what to set, and the run goes on (exit 0)")
    func remoteApplyWithoutStandby() throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let path = home + "/remote.scenario"
        try "scenario remote\nsession S1 test\nsession S2 app synchronous_commit=remote_apply\nS1 create\nS2 switch-on\nS1 expect on\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        // The embedded primary names its standby in synchronous_standby_names; here none runs.
        let run = try LampctlProcess.run(["scenario", "--file", path], environment: ["LAMPCTL_HOME": home])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        #expect(run.stdout.contains("not applicable at line 5"), "\(run.stdout)")
        #expect(run.stdout.contains("Not applicable on this server"), "\(run.stdout)")
        #expect(run.stdout.contains("synchronous_commit=remote_apply: no standby named in the primary's synchronous_standby_names ('lampctl_standby') is streaming"),
                "\(run.stdout)")
        let json = try LampctlProcess.run(["scenario", "--file", path, "--json"], environment: ["LAMPCTL_HOME": home])
        #expect(json.status == 0)
        #expect(json.stdout.contains("\"outcome\": \"not applicable\""), "\(json.stdout)")
    }

    /// One cell of the matrix (`make crosscheck` runs them all), once per driver, each on a pair
    /// of its own: the two run side by side (pause-replay pauses a standby for every connection,
    /// so two drivers cannot share one), which halves the longest test of make test.
    @Test("every replica built-in and replica user file agrees with real SQLAlchemy reading the standby through a second engine (one cell)",
          arguments: ["psycopg2", "asyncpg"])
    func crosscheck(driver: String) throws {
        let pair = try Self.startPair()
        defer { EmbeddedDefaultTests.removeHome(pair.home) }
        let script = Fixtures.directory.deletingLastPathComponent().appendingPathComponent("tools/crosscheck-replica.sh").path
        let run = try TestProcess.run("/bin/bash", [script, "--sample"], environment: LampctlProcess.environment([
            "DATABASE_URL": pair.primary, "STANDBY_URL": pair.standby, "PYTHON": try SQLAlchemyCrosscheckTests.python(),
            "LAMPCTL_BIN": LampctlProcess.binary, "DRIVERS": driver,
        ]), timeout: SQLAlchemyCrosscheckTests.scriptTimeout)
        let text = run.stdout + run.stderr
        #expect(run.status == 0, "\(text)")
        #expect(text.contains("replica cases identical to SQLAlchemy 2.1.9 (\(driver))"), "\(text)")
    }
}

import Foundation
import LampApp
import LampSession
import Postgres
import Scenario
import ScenarioRendering
import TestSupport
import Testing

/// Every scenario file against its expected output in Fixtures/expected (like pg_regress), and
/// the user-style files' results asserted from the session rules.
@Suite("Scenario files", .bounded)
struct ScenarioFilesTests {
    static let everything = Dimensions(
        isolations: [.readCommitted, .repeatableRead, .serializable], expireOnCommit: [false, true], apps: [.commit, .flush])

    static var userFiles: [String] {
        let directory = Fixtures.url("user-scenarios")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".scenario") }.map { String($0.dropLast(".scenario".count)) }.sorted()
    }

    static func run(_ definition: ScenarioDefinition, _ dimensions: Dimensions = everything) throws -> [CaseResult] {
        try ScenarioCases.run([definition], dimensions)
    }

    static func user(_ name: String) throws -> ScenarioDefinition {
        let bytes = try Data(contentsOf: Fixtures.url("user-scenarios/\(name).scenario"))
        return try ScenarioParser(file: "\(name).scenario").parse(bytes: Array(bytes))
    }

    @Test("built-in file over the whole matrix matches its expected output", arguments: BuiltInScenarios.names)
    func builtIn(_ name: String) throws {
        let results = try Self.run(try #require(try BuiltInScenarios.definition(named: name)))
        let actual = JSONLinesRenderer.render(results)
        let expected = try #require(try Fixtures.expected("expected/builtin/\(name).jsonl", actual: actual), "run make fixtures")
        #expect(actual == expected)
    }

    @Test("user file over the whole matrix matches its expected output", arguments: userFiles)
    func userFile(_ name: String) throws {
        let results = try Self.run(try Self.user(name))
        let actual = JSONLinesRenderer.render(results)
        let expected = try #require(try Fixtures.expected("expected/user/\(name).jsonl", actual: actual), "run make fixtures")
        #expect(actual == expected)
    }

    /// Django's user-style files (Fixtures/django-user-scenarios), cross-checked against real Django.
    static var djangoUserFiles: [String] {
        let directory = Fixtures.url("django-user-scenarios")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".scenario") }.map { String($0.dropLast(".scenario".count)) }.sorted()
    }

    @Test("Django user file over isolation x test wrapper matches its expected output", arguments: djangoUserFiles)
    func djangoUserFile(_ name: String) throws {
        let bytes = try Data(contentsOf: Fixtures.url("django-user-scenarios/\(name).scenario"))
        let definition = try ScenarioParser(file: "\(name).scenario").parse(bytes: Array(bytes))
        #expect(definition.orm == .django)
        let results = try Self.run(definition, Dimensions(isolations: [.readCommitted, .repeatableRead, .serializable], fixtures: ORM.django.fixtures))
        let actual = JSONLinesRenderer.render(results)
        let expected = try #require(try Fixtures.expected("expected/django/user/\(name).jsonl", actual: actual), "run make fixtures")
        #expect(actual == expected)
    }

    @Test("no refresh after create: rollback is a no-op, the read stays stale (identity map)")
    func noRefreshRollback() throws {
        let result = try #require(try Self.run(try Self.user("no-refresh-then-rollback"), Dimensions()).first)
        #expect(result.observation.objectStatus == "off")
        #expect(result.observation.committedStatus == "on")
        #expect(result.observation.layer == .identityMap)
        let rollbackStep = try #require(result.events.firstIndex { if case let .step(step) = $0 { step.action == .rollback } else { false } })
        let stepEvents = result.events[(rollbackStep + 1)...].prefix { !$0.isMarker }
        #expect(stepEvents.contains(.session(TraceEntry(session: "S1", kind: .event(.noOp(operation: "rollback", reason: "no transaction is open, nothing to do"))))))
        #expect(!stepEvents.contains { if case let .session(entry) = $0, case .statement = entry.kind { true } else { false } },
                "the rollback step sends no statement")
    }

    @Test("repeatable read, transaction older than the commit: refresh and expire stay stale, close fixes it",
          arguments: [("refresh", Verdict.stale), ("expire", .stale), ("close", .fresh)])
    func repeatableRead(_ fix: String, _ verdict: Verdict) throws {
        let result = try #require(try Self.run(try Self.user("repeatable-read-\(fix)"), Dimensions()).first)
        #expect(result.isolationInEffect == IsolationInEffect(requested: "repeatable-read", test: "repeatable read", applications: [.init(session: "S2", level: "read committed")]), "S2 pins read committed: the label says what ran")
        #expect(result.isolationInEffect.description == "repeatable read (S2: read committed)")
        #expect(result.observation.verdict == verdict)
        if verdict == .stale { #expect(result.observation.layer == .snapshot) }
    }

    @Test("the app forgets to commit while sharing the test's session: a false pass, nothing committed")
    func sharedSessionForgetsCommit() throws {
        let result = try #require(try Self.run(try Self.user("shared-session-forgets-commit"), Dimensions()).first)
        #expect(result.settings.app == .flush)
        #expect(result.observation.objectStatus == "on")
        #expect(result.observation.committedStatus == "off")
        #expect(result.observation.outcome == .falsePass)
        #expect(result.observation.layer == .uncommittedWrite, "the UPDATE's writer, S1's transaction, is still in progress")
    }

    @Test("the test's own flush: its transaction sees its uncommitted write (layer uncommitted write, every isolation level)")
    func uncommittedWriteOwnFlush() throws {
        let results = try Self.run(try Self.user("uncommitted-write-own-flush"))
        #expect(!results.isEmpty)
        for result in results {
            #expect(result.observation.transactionRowWriter == .inProgress)
            #expect(result.observation.layer == .uncommittedWrite, "\(result.settingsLabel())")
        }
    }

    @Test("savepoint-join: a value loaded from the app's write released inside the test's savepoint, which is then rolled back")
    func savepointRollbackKeepsAppWrite() throws {
        let result = try #require(try Self.run(try Self.user("savepoint-rollback-keeps-app-write"), Dimensions()).first)
        #expect(result.observation.objectStatus == "on")
        #expect(result.observation.transactionStatus == "off")
        #expect(result.observation.objectRowWriter == .aborted)
        #expect(result.observation.layer == .rolledBackSavepoint)
    }
}

import LampApp
import LampctlKit
import LampSession
import Scenario
import TestSupport
import Testing

/// The scenario command's values: comma lists, `all`/`both`, and one-line usage errors.
@Suite("Scenario selection", .bounded)
struct ScenarioSelectionTests {
    @Test("--fix takes names, comma lists and all; duplicates are dropped; files follow built-ins")
    func fix() throws {
        #expect(try ScenarioSelection.definitions(fix: nil, files: []).map(\.name).count == 9)
        #expect(try ScenarioSelection.definitions(fix: "all", files: []).map(\.name).first == "none")
        #expect(try ScenarioSelection.definitions(fix: "refresh, commit,refresh", files: []).map(\.name) == ["refresh", "commit"])
        #expect(try ScenarioSelection.definitions(fix: "", files: []).isEmpty)
        let error = try #require(throws: LampctlError.self) { try ScenarioSelection.definitions(fix: "refresh,bogus", files: []) }
        #expect(error.status == .usage)
        #expect(error.message.hasPrefix("unknown strategy 'bogus'"))
    }

    @Test("--fixture takes recipes, comma lists and all; a misspelt one is a usage error with a suggestion")
    func fixtures() throws {
        #expect(try ScenarioSelection.fixtures("all") == ORM.sqlalchemy.fixtures)
        #expect(try ScenarioSelection.fixtures("all", orm: .django) == [.djangoLiveServer, .djangoTransactionTestCase, .djangoTestCase, .djangoTestCaseLiveServer])
        #expect(try ScenarioSelection.fixtures(nil, orm: .django) == [.djangoLiveServer])
        #expect(try ScenarioSelection.fixtures("savepoint-join,independent,savepoint-join") == [.savepointJoin, .independent])
        let error = try #require(throws: LampctlError.self) { try ScenarioSelection.fixtures("savepoint-jion") }
        #expect(error.status == .usage)
        #expect(error.message.contains("did you mean 'savepoint-join'"), "\(error.message)")
        #expect(try ScenarioSelection.definitions(fix: "fixture-savepoint-join", files: []).map(\.name) == ["fixture-savepoint-join"])
        #expect(try ScenarioSelection.definitions(fix: "all", files: []).count == 9, "all is the nine strategies")
    }

    @Test("--isolation, --expire-on-commit and --app expand all and both")
    func dimensions() throws {
        #expect(try ScenarioSelection.isolations("all") == [.readCommitted, .repeatableRead, .serializable])
        #expect(try ScenarioSelection.isolations("repeatable-read,SERVER-DEFAULT") == [.repeatableRead, .serverDefault])
        #expect(try ScenarioSelection.expireOnCommit("both") == [false, true])
        #expect(try ScenarioSelection.expireOnCommit("true,true") == [true])
        #expect(try ScenarioSelection.apps("flush,both") == [.flush, .commit])
        #expect(throws: LampctlError.self) { try ScenarioSelection.isolations("snapshot") }
        #expect(throws: LampctlError.self) { try ScenarioSelection.expireOnCommit("yes") }
        #expect(throws: LampctlError.self) { try ScenarioSelection.apps("rollback") }
    }
}

import Foundation
import TestSupport
import Testing

/// Real test suites through `lampctl watch` (Fixtures/suites: the seed's FastAPI + async
/// SQLAlchemy + asyncpg stack, the same with a sync Session and psycopg2, and pytest-django).
/// Each test is annotated (`# lampctl-watch: KIND` above its def); the watch must report exactly
/// the annotated finding for it, by the application_name its connection carries, and nothing
/// for a test annotated `none`. `make test` prepares the suites' Python environment
/// (tools/suites-venv.sh, pinned) and passes it in LAMPCTL_SUITES_PYTHON.
@Suite("Real suites under lampctl watch", .bounded(seconds: 300))
struct WatchSuiteTests {
    static func python() throws -> String {
        try TestMode.requirePython()
        let python = ProcessInfo.processInfo.environment["LAMPCTL_SUITES_PYTHON"]
            ?? Fixtures.directory.deletingLastPathComponent().appendingPathComponent(".build/suites-venv/bin/python").path
        try #require(FileManager.default.isExecutableFile(atPath: python),
                     "no Python with the suites' packages at \(python): run tools/suites-venv.sh (make test does)")
        return python
    }

    /// Test name to the annotated finding (`none`: no finding), from every test_*.py of the suite.
    static func annotations(_ suite: String) throws -> [String: String] {
        let directory = Fixtures.url("suites/\(suite)")
        var annotations: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasPrefix("test_") && file.hasSuffix(".py") {
            var pending: String?
            for line in try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8).split(separator: "\n") {
                if line.hasPrefix("# lampctl-watch: ") {
                    pending = String(line.dropFirst("# lampctl-watch: ".count))
                } else if let kind = pending, line.hasPrefix("def test_") || line.hasPrefix("async def test_") {
                    guard let def = line.range(of: "def ") else { continue }
                    let name = line[def.upperBound...].prefix { $0 != "(" }
                    annotations[String(name)] = kind
                    pending = nil
                }
            }
        }
        return annotations
    }

    @Test("every annotated finding is reported, and no other", arguments: ["fastapi-seed", "sync-session", "django"])
    func suite(_ suite: String) throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let annotations = try Self.annotations(suite)
        #expect(annotations.count >= 4, "the suite's tests are annotated")
        let run = try TestProcess.run(LampctlProcess.binary, ["watch", "--json", "--", try Self.python(), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                                              Fixtures.url("suites/\(suite)").path],
                                      environment: LampctlProcess.environment(["LAMPCTL_HOME": home]), timeout: 240)
        #expect(run.status == 0, "the suite passes (its stale tests are strict xfails):\n\(run.stdout)\(run.stderr)")
        var reported: [String: [String]] = [:]
        for line in run.stdout.split(separator: "\n") where line.hasPrefix("{") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let kind = object["finding"] as? String else { continue }
            let reader = (object["reader"] as? [String: Any])?["application_name"] as? String ?? "?"
            reported[reader, default: []].append(kind)
        }
        for (test, kind) in annotations.sorted(by: { $0.key < $1.key }) {
            #expect(reported[test] ?? [] == (kind == "none" ? [] : [kind]), "\(suite): \(test) is annotated \(kind):\n\(run.stdout)")
        }
        let unannotated = Set(reported.keys).subtracting(annotations.keys)
        #expect(unannotated.isEmpty, "findings on connections of no annotated test: \(unannotated)\n\(run.stdout)")
    }
}

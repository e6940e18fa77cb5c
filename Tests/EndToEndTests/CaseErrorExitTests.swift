import Foundation
import TestSupport
import Testing

/// `lampctl scenario` with cases whose outcome is an error: the run completes (exit 0) unless
/// `--expect` disagrees (exit 1); `--stop-at-failed-expect` is accepted and reported.
@Suite("Error outcomes on the command line", .bounded)
struct CaseErrorExitTests {
    static func file(_ name: String) -> String { Fixtures.url("user-scenarios/\(name).scenario").path }

    @Test("an error case is a row of the table and the run exits 0; --expect fresh exits 1 naming it")
    func exitStatus() throws {
        let run = try LampctlProcess.runOnTestDatabase(["scenario", "--file", Self.file("error-serialization-failure"), "--fix", "refresh"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("error at line 9: serialization_failure"), "\(run.stdout)")
        #expect(run.stdout.contains("refresh "), "the built-in after it ran too")
        let expect = try LampctlProcess.runOnTestDatabase(["scenario", "--file", Self.file("error-serialization-failure"), "--expect", "fresh"])
        #expect(expect.status == 1)
        #expect(expect.stderr == "lampctl: expected every case fresh; error-serialization-failure (repeatable read (S2: read committed), expire_on_commit=false, app=commit) is error\n",
                "\(expect.stderr)")
    }

    @Test("--stop-at-failed-expect: the JSON names the line and the outcome the case has when run on")
    func stopFlag() throws {
        let run = try LampctlProcess.runOnTestDatabase(["scenario", "--file", Self.file("expect-then-refresh"), "--stop-at-failed-expect", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"outcome\": \"false failure\", \"layer\": \"identity map\", \"stopped_at_line\": 8, \"outcome_without_stopping\": \"true failure\"}"),
                "\(run.stdout)")
    }
}

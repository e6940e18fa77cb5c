import Foundation
import TestSupport
import Testing

/// A golden file cannot change without `make crosscheck` passing on it: `make crosscheck` stamps
/// Fixtures/ (Fixtures/crosschecked.sha256) when every cross-check passed, and this test fails
/// when Fixtures/ no longer matches the stamp.
@Suite("Golden files and the cross-check stamp", .bounded)
struct CrosscheckStampTests {
    static var script: String {
        Fixtures.directory.deletingLastPathComponent().appendingPathComponent("tools/crosscheck-stamp.sh").path
    }

    @Test("Fixtures/ is what the last passing make crosscheck saw")
    func stampMatches() throws {
        let run = try TestProcess.run("/bin/bash", [Self.script, "--check"])
        #expect(run.status == 0, "\(run.stderr)")
    }
}

import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `--file` reads its file as a stream, as `cat` would: `/dev/stdin`, a FIFO and a shell's
/// `<(...)` work like a regular file; a file that cannot be read says why.
@Suite("--file as a stream", .bounded)
struct StreamedFileTests {
    static var scenario: String {
        get throws { try LampctlProcess.run(["scenario", "--show", "none"]).stdout }
    }

    static func runThroughBash(_ script: String) throws -> TestProcess.Output {
        let environment = LampctlProcess.environment(["DATABASE_URL": try TestDatabase.url])
        return try TestProcess.run("/bin/bash", ["-c", script, LampctlProcess.binary], environment: environment)
    }

    @Test("/dev/stdin, <(cat f) and a FIFO run the scenario")
    func streams() throws {
        let directory = "/tmp/lampctl-stream-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/mine.scenario"
        try Self.scenario.replacingOccurrences(of: "scenario none", with: "scenario streamed").write(toFile: file, atomically: false, encoding: .utf8)
        let fifo = directory + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        for script in [
            "exec \"$0\" scenario --file /dev/stdin < '\(file)'",
            "exec \"$0\" scenario --file <(cat '\(file)')",
            "cat '\(file)' > '\(fifo)' & exec \"$0\" scenario --file '\(fifo)'",
        ] {
            let output = try Self.runThroughBash(script)
            #expect(output.status == 0, "\(script): \(output.stderr)")
            #expect(output.stdout.contains("streamed"), "\(script)")
        }
    }

    @Test("a file that cannot be read says why (exit 74)")
    func unreadable() throws {
        let missing = try LampctlProcess.runOnTestDatabase(["scenario", "--file", "/nonexistent/x.scenario"])
        #expect(missing.status == 74)
        #expect(missing.stderr == "lampctl: /nonexistent/x.scenario: cannot read: No such file or directory\n")
        let notDirectory = try LampctlProcess.runOnTestDatabase(["scenario", "--file", "/etc/hostname/x.scenario"])
        #expect(notDirectory.status == 74)
        #expect(notDirectory.stderr == "lampctl: /etc/hostname/x.scenario: cannot read: Not a directory\n")
    }
}

import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The embedded default through the binary: no DATABASE_URL, a fresh LAMPCTL_HOME.
@Suite("Embedded default end to end", .bounded)
struct EmbeddedDefaultTests {
    static func makeHome() throws -> String {
        try TestMode.requireServer()
        let home = "\(TestScratch.directory)/lampctl-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        TestProcess.adopt(home: home)
        return home
    }

    static func removeHome(_ home: String) {
        TestProcess.forget(home: home)
        _ = try? LampctlProcess.run(["db", "stop"], environment: ["LAMPCTL_HOME": home])
        try? FileManager.default.removeItem(atPath: home)
    }

    /// Postmasters whose command line names this home's data directory.
    static func postmasters(_ home: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let arguments = String(decoding: data, as: UTF8.self).split(separator: "\0").map(String.init)
            return arguments.first?.hasSuffix("postgres") == true && arguments.contains { $0.hasPrefix(home) }
        }
    }

    static func waitUntilNoPostmaster(_ home: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if postmasters(home).isEmpty { return true }
            usleep(20_000)
        }
        return postmasters(home).isEmpty
    }

    @Test("create, switch-on, read with no URL prints on; first use initialises, later uses reuse; nothing left running")
    func flowOnEmbeddedDefault() throws {
        let home = try Self.makeHome()
        defer { Self.removeHome(home) }
        let env: [String: String?] = ["LAMPCTL_HOME": home]
        let created = try LampctlProcess.run(["create"], environment: env)
        #expect(created.status == 0, "\(created.stderr)")
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id == "1")
        #expect(FileManager.default.fileExists(atPath: home + "/data/PG_VERSION"))
        let version = try FileManager.default.attributesOfItem(atPath: home + "/data/PG_VERSION")[.modificationDate] as? Date
        #expect(try LampctlProcess.run(["switch-on", id], environment: env).stdout == "lamp 1: off -> on\n")
        #expect(try LampctlProcess.run(["read", id], environment: env).stdout == "on\n")
        let again = try FileManager.default.attributesOfItem(atPath: home + "/data/PG_VERSION")[.modificationDate] as? Date
        #expect(version == again, "the cluster was not initialised twice")
        #expect(Self.waitUntilNoPostmaster(home, seconds: 3), "no postmaster remains after the last command")
        let status = try LampctlProcess.run(["db", "status", "--json"], environment: env)
        #expect(status.stdout.contains("\"running\": false"))
        #expect(status.stdout.contains("\"initialised\": true"))
    }

    @Test("two concurrent invocations both succeed on one server; kill -9 mid-command leaves no postmaster")
    func concurrentAndKilled() throws {
        let home = try Self.makeHome()
        defer { Self.removeHome(home) }
        let env: [String: String?] = ["LAMPCTL_HOME": home]
        let first = try BackgroundLampctl(["scenario", "--fix", "none", "--json"], environment: env)
        let second = try BackgroundLampctl(["scenario", "--fix", "close", "--json"], environment: env)
        #expect(try first.wait(timeout: 60) == 0, "\(first.stderr)")
        #expect(try second.wait(timeout: 60) == 0, "\(second.stderr)")
        #expect(first.stdout.contains("\"strategy\": \"none\""))
        #expect(second.stdout.contains("\"strategy\": \"close\""))
        #expect(Self.waitUntilNoPostmaster(home, seconds: 3))

        let paused = try BackgroundLampctl(["scenario", "--fix", "none"], environment: ["LAMPCTL_HOME": home, "LAMPCTL_FAILPOINT": "line 15"])
        try paused.waitForStderr(containing: "failpoint: paused", timeout: 30)
        #expect(!Self.postmasters(home).isEmpty, "the server runs while lampctl uses it")
        kill(paused.pid, SIGKILL)
        _ = try paused.wait(timeout: 10)
        #expect(Self.waitUntilNoPostmaster(home, seconds: 5), "SIGKILL of lampctl leaves no postmaster")
    }

    @Test("db start keeps the server for psql; db stop stops it; db reset wipes the data")
    func dbCommands() throws {
        let home = try Self.makeHome()
        defer { Self.removeHome(home) }
        let env: [String: String?] = ["LAMPCTL_HOME": home]
        let started = try LampctlProcess.run(["db", "start"], environment: env)
        #expect(started.status == 0, "\(started.stderr)")
        let url = try LampctlProcess.run(["db", "url"], environment: env).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(url.hasPrefix("postgresql://postgres@/postgres?host="))
        usleep(300_000)
        #expect(!Self.postmasters(home).isEmpty, "kept after the command exits")
        #expect(try LampctlProcess.run(["create"], environment: env).status == 0)
        #expect(try LampctlProcess.run(["db", "stop"], environment: env).stdout == "stopped\n")
        #expect(Self.waitUntilNoPostmaster(home, seconds: 3))
        #expect(try LampctlProcess.run(["db", "reset"], environment: env).status == 0)
        #expect(!FileManager.default.fileExists(atPath: home + "/data/PG_VERSION"))
        #expect(try LampctlProcess.run(["create"], environment: env).stdout == "1\n", "a fresh cluster after reset")
    }

    @Test("missing server binaries: one line naming the package, exit 71")
    func missingBinaries() throws {
        let home = try Self.makeHome()
        defer { Self.removeHome(home) }
        let fresh = home + "/never-created"
        let output = try LampctlProcess.run(["read", "1"], environment: ["LAMPCTL_HOME": fresh, "LAMPCTL_PG_BINDIR": "/nonexistent"])
        #expect(output.status == 71)
        #expect(!FileManager.default.fileExists(atPath: fresh), "a failed first use leaves nothing behind")
        #expect(output.stderr.contains("postgresql"), "\(output.stderr)")
        #expect(output.stderr.filter { $0 == "\n" }.count == 1)
    }
}

/// The server stopped in the middle of a run.
@Suite("Server stopped mid-run", .bounded)
struct ServerStoppedTests {
    @Test("the error names the case and step, the run's schema is reported by name, no postmaster remains")
    func serverStopped() throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let run = try BackgroundLampctl(["scenario", "--fix", "none"], environment: ["LAMPCTL_HOME": home, "LAMPCTL_FAILPOINT": "line 15"])
        try run.waitForStderr(containing: "failpoint: paused", timeout: 30)
        let stopped = try LampctlProcess.run(["db", "stop", "--force"], environment: ["LAMPCTL_HOME": home])
        #expect(stopped.stdout == "stopped\n")
        kill(run.pid, SIGUSR1)
        let status = try run.wait(timeout: 30)
        #expect(status == 69, "a stopped server is unreachable: \(run.stderr)")
        let line = run.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(line.contains("case none"))
        #expect(line.contains("line 15: S2 switch-on"))
        #expect(line.contains("could not drop schema lampctl_run_\(run.pid)_"), "\(line)")
        #expect(EmbeddedDefaultTests.waitUntilNoPostmaster(home, seconds: 3))
    }
}

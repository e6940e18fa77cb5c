import Foundation
import Postgres
import Synchronization
import TestSupport
import Testing

/// Several lampctl processes at once against one database.
@Suite("Concurrency", .bounded)
struct ConcurrencyTests {
    @Test("8 scenario runs at once give the same results as one alone, and leave no schema")
    func eightScenarioRuns() throws {
        let url = try TestDatabase.url
        let arguments = ["scenario", "--json", "--isolation", "all", "--expire-on-commit", "both", "--app", "both"]
        let alone = try LampctlProcess.runOnTestDatabase(arguments)
        #expect(alone.status == 0)
        let runs = try (0..<8).map { _ in try BackgroundLampctl(arguments, environment: ["DATABASE_URL": url]) }
        for run in runs {
            #expect(try run.wait(timeout: 60) == 0, "\(run.stderr)")
            #expect(run.stdout == alone.stdout)
        }
        let connection = try Connection(url)
        defer { connection.close() }
        let pids = runs.map { "lampctl_run_\($0.pid)_%" }
        for pattern in pids {
            #expect(try connection.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE $1", [pattern]).rows.first?.first == "0")
        }
    }

    @Test("8 concurrent create + switch-on loops lose no lamp and no update")
    func concurrentLoops() throws {
        let url = try TestDatabase.url
        let loops = 8, iterations = 5
        struct Results: Sendable {
            var ids: [String] = []
            var failures: [String] = []
        }
        let results = Mutex(Results())
        DispatchQueue.concurrentPerform(iterations: loops) { _ in
            for _ in 0..<iterations {
                do {
                    let created = try LampctlProcess.run(["create"], environment: ["DATABASE_URL": url])
                    let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                    let switched = try LampctlProcess.run(["switch-on", id], environment: ["DATABASE_URL": url])
                    results.withLock {
                        $0.ids.append(id)
                        if created.status != 0 || switched.status != 0 { $0.failures.append(created.stderr + switched.stderr) }
                    }
                } catch {
                    results.withLock { $0.failures.append("\(error)") }
                }
            }
        }
        let collected = results.withLock { $0 }
        #expect(collected.failures.isEmpty, "\(collected.failures)")
        #expect(Set(collected.ids).count == loops * iterations)
        for id in collected.ids {
            #expect(try LampctlProcess.run(["read", id], environment: ["DATABASE_URL": url]).stdout == "on\n")
        }
    }
}

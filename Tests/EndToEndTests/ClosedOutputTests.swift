import Foundation
import Postgres
import TestSupport
import Testing

/// `lampctl scenario --json | head -1`: the reader goes away mid-run; lampctl must still end
/// cleanly and drop its schema (no death by SIGPIPE halfway through).
@Suite("Closed stdout", .bounded)
struct ClosedOutputTests {
    @Test("a reader that stops early leaves no schema behind")
    func readerStopsEarly() throws {
        let url = try TestDatabase.url
        let process = Process()
        process.executableURL = URL(fileURLWithPath: LampctlProcess.binary)
        process.arguments = ["scenario", "--json", "--isolation", "all", "--expire-on-commit", "both", "--app", "both"]
        // Pause at the second case, so the reader can leave before any further output is written.
        process.environment = LampctlProcess.environment([
            "DATABASE_URL": url,
            "LAMPCTL_FAILPOINT": "none, read committed, expire_on_commit=false, app=flush: line 12",
        ])
        let output = Pipe()
        process.standardOutput = output
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let reader = output.fileHandleForReading
        var received = Data()
        while !received.contains(UInt8(ascii: "\n")) {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            received.append(chunk)
        }
        try reader.close()
        var paused = Data()
        while !String(decoding: paused, as: UTF8.self).contains("failpoint: paused") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            paused.append(chunk)
        }
        kill(process.processIdentifier, SIGUSR1)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "not killed by a signal")
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: received, as: UTF8.self).hasPrefix("{\"schema_version\": 2, \"strategy\": \"none\""))
        let connection = try Connection(url)
        defer { connection.close() }
        let left = try connection.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE $1",
                                          ["lampctl\\_run\\_\(process.processIdentifier)\\_%"])
        #expect(left.rows.first?.first == "0")
    }
}

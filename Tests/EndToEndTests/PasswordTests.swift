import Foundation
import TestSupport
import Testing

/// A TCP server with password authentication given by DATABASE_URL: the flow works and the
/// password appears in no output (stdout, stderr, JSON, traces, errors).
@Suite("Password authentication over TCP", .bounded)
struct PasswordTests {
    static let password = "Pw-9f3kX7q-unlikely"

    @Test("create, switch-on, read, scenario --trace/--json and errors never show the password")
    func passwordNeverShown() throws {
        let server = try PasswordServer(password: Self.password)
        defer { server.stop() }
        let env: [String: String?] = ["DATABASE_URL": server.url]
        var outputs: [LampctlProcess.Output] = []
        let created = try LampctlProcess.run(["create"], environment: env)
        #expect(created.status == 0, "\(created.stderr)")
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        outputs.append(created)
        outputs.append(try LampctlProcess.run(["switch-on", id], environment: env))
        let read = try LampctlProcess.run(["read", id], environment: env)
        #expect(read.stdout == "on\n")
        outputs.append(read)
        outputs.append(try LampctlProcess.run(["scenario", "--fix", "none", "--trace", "--explain"], environment: env))
        outputs.append(try LampctlProcess.run(["scenario", "--fix", "none", "--json"], environment: env))
        outputs.append(try LampctlProcess.run(["scenario", "--fix", "none", "--diagram", "mermaid"], environment: env))
        // Errors: wrong password, wrong database, unknown lamp.
        let wrong = try LampctlProcess.run(["read", id], environment: ["DATABASE_URL": server.url.replacingOccurrences(of: Self.password, with: Self.password + "x")])
        #expect(wrong.status == 69)
        #expect(wrong.stderr.contains("password authentication failed"))
        outputs.append(wrong)
        let noDatabase = try LampctlProcess.run(["read", id], environment: ["DATABASE_URL": server.url.replacingOccurrences(of: "/postgres", with: "/nosuchdb")])
        #expect(noDatabase.status == 69)
        outputs.append(noDatabase)
        outputs.append(try LampctlProcess.run(["read", "999999"], environment: env))
        outputs.append(try LampctlProcess.run(["read", id, "--database-url", "host=127.0.0.1 port=notaport password=\(Self.password)"]))
        for output in outputs {
            #expect(!output.stdout.contains(Self.password))
            #expect(!output.stderr.contains(Self.password), "\(output.stderr)")
        }
    }
}

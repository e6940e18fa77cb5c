import Foundation
import TestSupport
import Testing

/// Bad command lines: one line on stderr, the documented exit code, nothing on stdout.
@Suite("Bad input", .bounded)
struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var status: Int32
        var message: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let usage: [Case] = [
        Case(arguments: ["read", "abc"], status: 64, message: "expected a whole number from 1 to 2147483647"),
        Case(arguments: ["read", "--", "-1"], status: 64, message: "expected a whole number from 1 to 2147483647"),
        Case(arguments: ["read", "0"], status: 64, message: "expected a whole number from 1 to 2147483647"),
        Case(arguments: ["switch-on", "9223372036854775808"], status: 64, message: "expected a whole number from 1 to 2147483647"),
        Case(arguments: ["switch-on", "2147483648"], status: 64, message: "expected a whole number from 1 to 2147483647"),
        Case(arguments: ["read", ""], status: 64, message: "expected a whole number from 1 to 2147483647"),
        Case(arguments: ["read"], status: 64, message: "Missing expected argument"),
        Case(arguments: ["create", "--frobnicate"], status: 64, message: "Unknown option '--frobnicate'"),
        Case(arguments: ["create", "--status", "dim"], status: 64, message: "dim"),
        Case(arguments: ["scenario", "--fix", "bogus"], status: 64, message: "unknown strategy 'bogus'"),
        Case(arguments: ["scenario", "--isolation", "chaos"], status: 64, message: "unknown isolation 'chaos'"),
        Case(arguments: ["scenario", "--expire-on-commit", "maybe"], status: 64, message: "unknown expire-on-commit 'maybe'"),
        Case(arguments: ["scenario", "--app", "yolo"], status: 64, message: "unknown app 'yolo'"),
        Case(arguments: ["scenario", "--expect", "tepid"], status: 64, message: "tepid"),
        Case(arguments: ["frobnicate"], status: 64, message: "frobnicate"),
        Case(arguments: ["read", "1", "--database-url", "foo bar"], status: 64, message: "invalid connection string"),
    ]

    @Test("usage errors exit 64 with one line", arguments: usage)
    func usageError(_ test: Case) throws {
        let output = try LampctlProcess.run(test.arguments, environment: ["DATABASE_URL": try TestDatabase.url])
        #expect(output.status == test.status)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.hasPrefix("lampctl: "))
        #expect(output.stderr.filter { $0 == "\n" }.count == 1, "one line: \(output.stderr)")
        #expect(output.stderr.contains(test.message), "\(output.stderr)")
    }

    @Test("an unreachable database: exit 69, host and database named, password hidden")
    func unreachable() throws {
        let started = Date()
        let output = try LampctlProcess.run(
            ["read", "1", "--database-url", "postgresql://alice:s3cr3t-pw@127.0.0.1:1/shop?connect_timeout=3"])
        #expect(output.status == 69)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(output.stderr.contains("127.0.0.1"))
        #expect(output.stderr.contains("shop"))
        #expect(!output.stderr.contains("s3cr3t-pw"))
        #expect(!output.stdout.contains("s3cr3t-pw"))
        #expect(output.stderr.filter { $0 == "\n" }.count == 1)
    }

    @Test("--help documents the exit codes, what --fix all covers, the PG* variables, and has examples")
    func help() throws {
        let output = try LampctlProcess.run(["--help"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("Exit codes:"))
        #expect(output.stdout.contains("64"))
        #expect(output.stdout.contains("Examples:"))
        let scenario = try LampctlProcess.run(["scenario", "--help"])
        #expect(scenario.stdout.contains("--expire-on-commit"))
        #expect(scenario.stdout.contains("Examples:"))
        // What `all` covers, since --fix lists the fixture built-ins among its values; and where
        // the database comes from, PG* variables included.
        let unwrapped = scenario.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(unwrapped.contains("all: the nine fix strategies; the fixture-* built-ins, which pin their own recipe, run by name"), "\(scenario.stdout)")
        #expect(unwrapped.contains("else libpq's PG* variables when one names a database (PGHOST,"), "\(scenario.stdout)")
    }
}

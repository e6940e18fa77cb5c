import Foundation
import TestSupport
import Testing

/// Small command-line edges: a negative lamp id, an unknown `sslmode`, help and version on a full
/// disk.
@Suite("Command-line edges", .bounded)
struct CommandLineEdgeTests {
    @Test("a negative id says what an id must be", arguments: [["switch-on", "-1"], ["read", "-5", "--json"], ["read", "--json", "-5"]])
    func negativeID(_ arguments: [String]) throws {
        let output = try LampctlProcess.run(arguments, environment: ["DATABASE_URL": "postgresql://localhost:1/none"])
        #expect(output.status == 64)
        #expect(output.stderr.contains("a lamp id must be a positive integer: expected a whole number from 1 to 2147483647"), "\(output.stderr)")
        #expect(!output.stderr.contains("Missing expected argument"))
    }

    @Test("sslmode=bogus is a usage error (64) naming the values, before any connection")
    func bogusSSLMode() throws {
        for environment: [String: String?] in [["DATABASE_URL": "postgresql://localhost:1/none?sslmode=bogus"], ["PGSSLMODE": "bogus", "PGHOST": "localhost", "PGPORT": "1"]] {
            let output = try LampctlProcess.run(["read", "1"], environment: environment)
            #expect(output.status == 64, "\(output.stderr)")
            #expect(output.stderr.contains("invalid sslmode value \"bogus\"; expected disable, allow, prefer, require, verify-ca or verify-full"), "\(output.stderr)")
        }
    }

    @Test("--help, --version and a completion script on a full disk: exit 74", arguments: [["--help"], ["--version"], ["scenario", "--help"], ["--generate-completion-script", "bash"]])
    func fullDisk(_ arguments: [String]) throws {
        let full = try RedirectedLampctl.run(arguments, standardOutput: "/dev/full")
        #expect(full.status == 74, "\(full.stderr)")
        #expect(full.stderr == "lampctl: standard output: cannot write: No space left on device\n")
        let fine = try LampctlProcess.run(arguments)
        #expect(fine.status == 0)
        #expect(!fine.stdout.isEmpty)
    }
}

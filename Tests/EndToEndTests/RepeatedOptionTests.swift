import TestSupport
import Testing

/// An option that takes one value, given twice, is a usage error naming it (the last one silently
/// won: `--database-url a --database-url b` used b), as `--output` already was.
@Suite("Options given twice", .bounded)
struct RepeatedOptionTests {
    static let repeated: [[String]] = [
        ["read", "1", "--database-url", "postgresql:///a", "--database-url", "postgresql:///b"],
        ["scenario", "--fix", "none", "--database-url", "postgresql:///a", "--database-url", "postgresql:///b"],
        ["db", "reset", "--database-url", "postgresql:///a", "--database-url", "postgresql:///b"],
        ["create", "--status", "on", "--status", "off"],
        ["scenario", "--replica", "--standby-url", "postgresql:///a", "--standby-url", "postgresql:///b"],
        ["scenario", "--replica", "--replay-delay", "1s", "--replay-delay", "2s"],
    ]

    @Test("refused with exit 64 and one line naming the option", arguments: repeated)
    func refused(_ arguments: [String]) throws {
        // Unreachable URLs and no home: nothing may run before the refusal.
        let output = try LampctlProcess.run(arguments, environment: ["DATABASE_URL": "postgresql://localhost:1/none", "LAMPCTL_HOME": "/nonexistent/lampctl"])
        let option = try #require(arguments.first { name in name.hasPrefix("--") && arguments.filter { $0 == name }.count == 2 })
        #expect(output.status == 64, "\(output.stderr)")
        #expect(output.stderr.hasPrefix("lampctl: \(option) was given more than once: give it once. See 'lampctl "), "\(output.stderr)")
        #expect(output.stderr.filter { $0 == "\n" }.count == 1)
        #expect(output.stdout.isEmpty)
    }
}

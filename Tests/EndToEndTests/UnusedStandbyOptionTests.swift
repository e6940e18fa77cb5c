import TestSupport
import Testing

/// `--standby-url` and `--replay-delay` on a run that reads no standby would be ignored: refused
/// with exit 64 before anything runs.
@Suite("Standby options without a standby", .bounded)
struct UnusedStandbyOptionTests {
    @Test("refused without --replica", arguments: [["--replay-delay", "1s"], ["--standby-url", "postgresql:///standby"]])
    func refused(_ option: [String]) throws {
        let output = try LampctlProcess.run(["scenario", "--fix", "none"] + option,
                                            environment: ["DATABASE_URL": "postgresql://localhost:1/none"])
        #expect(output.status == 64, "\(output.stderr)")
        #expect(output.stderr == "lampctl: \(option[0]) applies only to runs that read a hot standby: add --replica (or run a scenario file with reads=standby). See 'lampctl scenario --help'.\n")
        #expect(output.stdout.isEmpty)
    }
}

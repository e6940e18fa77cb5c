import Foundation
import TestSupport
import Testing

/// The scenario command line: `--file -`, contradictory options refused, errors that point to the
/// subcommand's help, "did you mean", and shell completion that lists every value.
@Suite("Scenario command line", .bounded)
struct ScenarioCommandLineTests {
    struct Refused: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var message: String
        var help = "lampctl scenario --help"
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let refused: [Refused] = [
        Refused(arguments: ["scenario", "--json", "--trace"], message: "--json and --trace cannot be combined"),
        Refused(arguments: ["scenario", "--json", "--explain"], message: "--json and --explain cannot be combined"),
        Refused(arguments: ["scenario", "--json", "--diagram"], message: "--json and --diagram cannot be combined"),
        Refused(arguments: ["scenario", "--diagram", "mermaid", "--trace"], message: "--diagram mermaid and --trace cannot be combined"),
        Refused(arguments: ["scenario", "--diagram", "mermaid", "--explain"], message: "--diagram mermaid and --explain cannot be combined"),
        Refused(arguments: ["scenario", "--list", "--fix", "none"], message: "--list and --fix cannot be combined"),
        Refused(arguments: ["scenario", "--list", "--json"], message: "--list and --json cannot be combined"),
        Refused(arguments: ["scenario", "--show", "none", "--file", "x.scenario"], message: "--show and --file cannot be combined"),
        Refused(arguments: ["scenario", "--show", "none", "--isolation", "all"], message: "--show and --isolation cannot be combined"),
        Refused(arguments: ["scenario", "--list", "--show", "none"], message: "--list and --show cannot be combined"),
        Refused(arguments: ["scenario", "--grammar", "--fix", "none"], message: "--grammar and --fix cannot be combined"),
        Refused(arguments: ["scenario", "--grammar", "--list"], message: "--grammar and --list cannot be combined"),
        Refused(arguments: ["scenario", "--output", "a", "--output", "b"], message: "--output was given more than once"),
        Refused(arguments: ["scenario", "--expect", "fresh", "--expect", "stale"], message: "--expect was given more than once"),
        Refused(arguments: ["scenario", "--file", "-", "--file", "-"], message: "standard input can be read only once"),
        Refused(arguments: ["scenario", "--fix", "refrsh"], message: "unknown strategy 'refrsh' (did you mean 'refresh'?)"),
        Refused(arguments: ["scenario", "--isolation", "repeatable-reed"], message: "(did you mean 'repeatable-read'?)"),
        Refused(arguments: ["scenario", "--show", "rollbak"], message: "unknown scenario 'rollbak' (did you mean 'rollback'?)"),
        Refused(arguments: ["scenaro"], message: "'scenaro' (did you mean 'scenario'?)", help: "lampctl --help"),
        Refused(arguments: ["db", "strat"], message: "'strat' (did you mean 'start'?)", help: "lampctl db --help"),
        Refused(arguments: ["read", "abc"], message: "expected a whole number", help: "lampctl read --help"),
    ]

    @Test("refused with one line, exit 64, pointing to the subcommand's help", arguments: refused)
    func refusedLine(_ test: Refused) throws {
        let scratch = try ScratchDirectory("output")
        let run = try RedirectedLampctl.run(test.arguments, environment: ["DATABASE_URL": try TestDatabase.url], directory: scratch.path)
        #expect(run.status == 64)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.filter { $0 == "\n" }.count == 1, "one line: \(run.stderr)")
        #expect(run.stderr.contains(test.message), "\(run.stderr)")
        #expect(run.stderr.hasSuffix("See '\(test.help)'.\n"), "\(run.stderr)")
        #expect(scratch.entries.isEmpty, "nothing written")
    }

    @Test("--file - reads the scenario from standard input")
    func standardInput() throws {
        let source = try LampctlProcess.run(["scenario", "--show", "refresh"]).stdout
        let url = try TestDatabase.url
        let fromInput = try RedirectedLampctl.run(["scenario", "--file", "-", "--json"], environment: ["DATABASE_URL": url], input: source)
        #expect(fromInput.status == 0, "\(fromInput.stderr)")
        let builtIn = try LampctlProcess.run(["scenario", "--fix", "refresh", "--json"], environment: ["DATABASE_URL": url])
        #expect(fromInput.stdout == builtIn.stdout)
        #expect(fromInput.stdout.hasPrefix("{\"schema_version\": 2, \"strategy\": \"refresh\""))
        let broken = try RedirectedLampctl.run(["scenario", "--file", "-"], environment: ["DATABASE_URL": url], input: "scenario x\nS1 craete\n")
        #expect(broken.status == 65)
        #expect(broken.stderr.hasPrefix("lampctl: <stdin>:2:"), "\(broken.stderr)")
    }

    @Test("repeated list options add up; --show and --list write to --output")
    func combinationsThatWork() throws {
        let url = try TestDatabase.url
        let run = try LampctlProcess.run(["scenario", "--fix", "none", "--fix", "close", "--json"], environment: ["DATABASE_URL": url])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.split(separator: "\n").map { $0.hasPrefix("{\"schema_version\": 2, \"strategy\": \"none\"") } == [true, false])
        #expect(run.stdout.split(separator: "\n").last?.hasPrefix("{\"schema_version\": 2, \"strategy\": \"close\"") == true)
        let scratch = try ScratchDirectory("output")
        let show = try LampctlProcess.run(["scenario", "--show", "close", "--output", scratch.at("close.scenario")])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(try String(contentsOfFile: scratch.at("close.scenario"), encoding: .utf8) == LampctlProcess.run(["scenario", "--show", "close"]).stdout)
    }

    /// What bash itself completes for the last of `words` (after `lampctl`), with lampctl's
    /// completion script sourced; comma lists ask lampctl, which answers from its values.
    static func bashCompletes(_ words: [String]) throws -> [String] {
        let script = try LampctlProcess.run(["--generate-completion-script", "bash"])
        #expect(script.status == 0)
        let directory = try ScratchDirectory("completion")
        try script.stdout.write(toFile: directory.at("lampctl.bash"), atomically: true, encoding: .utf8)
        let harness = """
            shopt -s extglob
            source \(directory.at("lampctl.bash"))
            COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
            _lampctl "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        try harness.write(toFile: directory.at("complete.sh"), atomically: true, encoding: .utf8)
        let run = try TestProcess.run("/bin/bash", [directory.at("complete.sh"), LampctlProcess.binary] + words,
                                      environment: LampctlProcess.environment([:]))
        #expect(run.status == 0, "\(run.stderr)")
        return run.stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    @Test("bash completes every strategy, isolation level, --app, --expire-on-commit, --show and --expect value, and after a comma")
    func completion() throws {
        let strategies = try LampctlProcess.run(["scenario", "--list"]).stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first }.map(String.init)
        #expect(strategies.count == 13, "the nine strategies, then the four fixture recipes' scenarios")
        #expect(try Self.bashCompletes(["scenario", "--fix", ""]) == strategies + ["all"])
        #expect(try Self.bashCompletes(["scenario", "--show", ""]) == strategies)
        #expect(try Self.bashCompletes(["scenario", "--show", "ro"]) == ["rollback"])
        #expect(try Self.bashCompletes(["scenario", "--isolation", ""]) == ["read-committed", "repeatable-read", "serializable", "server-default", "all"])
        #expect(try Self.bashCompletes(["scenario", "--expire-on-commit", ""]) == ["true", "false", "both"])
        #expect(try Self.bashCompletes(["scenario", "--app", ""]) == ["commit", "flush", "both"])
        #expect(try Self.bashCompletes(["scenario", "--expect", ""]) == ["fresh", "stale"])
        // After a comma: the values not listed yet, after what is typed; `all` only first.
        #expect(try Self.bashCompletes(["scenario", "--fix", "refresh,c"]) == ["refresh,close", "refresh,commit"])
        #expect(try Self.bashCompletes(["scenario", "--isolation", "read-committed,"]) == ["read-committed,repeatable-read", "read-committed,serializable", "read-committed,server-default"])
    }
}

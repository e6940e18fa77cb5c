import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `--output` naming one of the run's `--file` inputs (by the same path, a symbolic link or a
/// hard link, or standard input redirected from it) is refused before anything runs: exit 64,
/// one line, the scenario file untouched.
@Suite("--output never replaces an input file", .bounded)
struct OutputReplacesInputTests {

    static func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    enum Alias: String, CaseIterable, Sendable { case samePath = "the same path", symlink = "a symbolic link", hardLink = "a hard link", relative = "a relative path" }

    @Test("--file F --output F (or a link to F) is refused, F unchanged", arguments: Alias.allCases)
    func refused(_ alias: Alias) throws {
        let scratch = try ScratchDirectory("overlap")
        let scenario = try LampctlProcess.run(["scenario", "--show", "none"]).stdout
        let file = scratch.at("mine.scenario")
        try scenario.write(toFile: file, atomically: false, encoding: .utf8)
        var output = file
        var directory: String?
        switch alias {
        case .samePath: break
        case .symlink:
            output = scratch.at("link.txt")
            symlink("mine.scenario", output)
        case .hardLink:
            output = scratch.at("hard.txt")
            link(file, output)
        case .relative:
            output = "./mine.scenario"
            directory = scratch.path
        }
        let run = try RedirectedLampctl.run(["scenario", "--file", file, "--output", output],
                                            environment: ["DATABASE_URL": try TestDatabase.url], directory: directory)
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr == "lampctl: --output \(output): is the same file as --file \(file): the output would replace it; write the output to another file. See 'lampctl scenario --help'.\n")
        #expect(run.stdout.isEmpty)
        #expect(Self.contents(file) == scenario)
    }

    @Test("--file - with standard input redirected from the --output file is refused")
    func standardInput() throws {
        let scratch = try ScratchDirectory("overlap")
        let scenario = try LampctlProcess.run(["scenario", "--show", "none"]).stdout
        let file = scratch.at("mine.scenario")
        try scenario.write(toFile: file, atomically: false, encoding: .utf8)
        let child = try TestProcess("/bin/sh", ["-c", "exec \"$0\" scenario --file - --output \"$1\" < \"$1\"", LampctlProcess.binary, file],
                                    environment: LampctlProcess.environment(["DATABASE_URL": try TestDatabase.url]))
        let run = try child.wait(timeout: 60)
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.contains("is the same file as standard input (--file -)"), "\(run.stderr)")
        #expect(Self.contents(file) == scenario)
    }

    @Test("another output file still works")
    func otherFileAccepted() throws {
        let scratch = try ScratchDirectory("overlap")
        let file = scratch.at("mine.scenario")
        try LampctlProcess.run(["scenario", "--show", "none"]).stdout.write(toFile: file, atomically: false, encoding: .utf8)
        let run = try LampctlProcess.runOnTestDatabase(["scenario", "--file", file, "--output", scratch.at("out.txt")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.contents(scratch.at("out.txt"))?.contains("none") == true)
    }
}

import Foundation
import TestSupport
import Testing

/// `--report`, `--junit` and `lampctl matrix` on the command line: golden files for what users
/// read, the files written the way `--output` writes them, refused before the run when they
/// would replace an input or each other, docs/matrix.md current, progress only on a terminal.
@Suite("Reports on the command line", .bounded)
struct ReportCommandTests {
    /// The server's version as the files state it, replaced so the goldens hold on any 15.x.
    static func masked(_ text: String) -> String {
        var out = text
        for (open, close) in [("<dt>PostgreSQL</dt><dd>", "</dd>"), ("name=\"server.version\" value=\"", "\"")] {
            var searchFrom = out.startIndex
            while let start = out.range(of: open, range: searchFrom..<out.endIndex),
                  let end = out.range(of: close, range: start.upperBound..<out.endIndex) {
                out.replaceSubrange(start.upperBound..<end.lowerBound, with: "SERVER_VERSION")
                searchFrom = out.index(start.upperBound, offsetBy: "SERVER_VERSION".count)
            }
        }
        return out
    }

    static func runWithReports(_ arguments: [String], in scratch: ScratchDirectory) throws -> (TestProcess.Output, html: String, junit: String) {
        let run = try LampctlProcess.run(arguments + ["--report", scratch.at("report.html"), "--junit", scratch.at("results.xml")],
                                         environment: ["DATABASE_URL": try TestDatabase.url, "SOURCE_DATE_EPOCH": "0"])
        let html = (try? String(contentsOfFile: scratch.at("report.html"), encoding: .utf8)) ?? ""
        let junit = (try? String(contentsOfFile: scratch.at("results.xml"), encoding: .utf8)) ?? ""
        return (run, masked(html), masked(junit))
    }

    @Test("--report and --junit match their golden files; the table still goes to stdout")
    func golden() throws {
        let scratch = try ScratchDirectory("report")
        let (run, html, junit) = try Self.runWithReports(["scenario", "--fix", "none,refresh", "--isolation", "server-default,repeatable-read"], in: scratch)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty, "no progress line when stderr is not a terminal: \(run.stderr)")
        #expect(run.stdout.contains("false failure"))
        let expectedHTML = try #require(try Fixtures.expected("expected/report/none-refresh.html", actual: html), "run make fixtures")
        #expect(html == expectedHTML)
        let expectedJUnit = try #require(try Fixtures.expected("expected/report/none-refresh.xml", actual: junit), "run make fixtures")
        #expect(junit == expectedJUnit)
    }

    @Test("an error case is a JUnit error, a blocked step too; --expect still decides the exit status")
    func errorsInJUnit() throws {
        let scratch = try ScratchDirectory("report")
        let file = Fixtures.url("user-scenarios/error-serialization-failure.scenario").path
        let (run, html, junit) = try Self.runWithReports(["scenario", "--file", file, "--expect", "fresh"], in: scratch)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(junit.contains("<error type=\"serialization_failure\""), "\(junit)")
        #expect(junit.contains("errors=\"1\""))
        #expect(html.contains("serialization_failure"))
    }

    @Test("an output that is an input, or two outputs on one file, are refused before anything runs (exit 64)")
    func overlapsRefused() throws {
        let scratch = try ScratchDirectory("report")
        let mine = scratch.at("mine.scenario")
        let source = try String(contentsOf: Fixtures.url("user-scenarios/error-serialization-failure.scenario"), encoding: .utf8)
        try source.write(toFile: mine, atomically: true, encoding: .utf8)
        let input = try LampctlProcess.runOnTestDatabase(["scenario", "--file", mine, "--report", mine])
        #expect(input.status == 64)
        #expect(input.stderr.hasPrefix("lampctl: --report \(mine): is the same file as --file \(mine): the output would replace it; write the output to another file"))
        #expect(try String(contentsOfFile: mine, encoding: .utf8) == source, "the user's file is untouched")
        let twice = try LampctlProcess.runOnTestDatabase(["scenario", "--fix", "none", "--report", scratch.at("r"), "--junit", scratch.at("./r")])
        #expect(twice.status == 64)
        #expect(twice.stderr.contains("--junit \(scratch.at("./r")): is the same file as --report \(scratch.at("r"))"), "\(twice.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.at("r")))
        let dash = try LampctlProcess.runOnTestDatabase(["scenario", "--fix", "none", "--junit", "-"])
        #expect(dash.status == 64)
        #expect(dash.stderr.hasPrefix("lampctl: --junit -: give a file name"), "\(dash.stderr)")
    }

    @Test("a full disk: the run's table is written, then --report fails with exit 74 and one line")
    func fullDisk() throws {
        let run = try LampctlProcess.runOnTestDatabase(["scenario", "--fix", "none", "--report", "/dev/full"])
        #expect(run.status == 74, "\(run.stderr)")
        #expect(run.stderr == "lampctl: --report /dev/full: cannot write: No space left on device\n", "\(run.stderr)")
    }

    @Test("a directory or a missing parent is refused before the run (exit 74); a failed run writes no report")
    func nothingHalfWritten() throws {
        let scratch = try ScratchDirectory("report")
        let directory = try LampctlProcess.runOnTestDatabase(["scenario", "--fix", "none", "--report", scratch.path])
        #expect(directory.status == 74)
        #expect(directory.stderr == "lampctl: --report \(scratch.path): is a directory; give a file name\n")
        #expect(directory.stdout.isEmpty, "refused before the run")
        let missing = try LampctlProcess.runOnTestDatabase(["scenario", "--fix", "none", "--junit", scratch.at("no/such/dir.xml")])
        #expect(missing.status == 74)
        #expect(missing.stderr == "lampctl: --junit \(scratch.at("no/such/dir.xml")): the directory does not exist\n")
        let unreachable = try LampctlProcess.run(["scenario", "--fix", "none", "--report", scratch.at("r.html")],
                                                 environment: ["DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"])
        #expect(unreachable.status == 69, "\(unreachable.stderr)")
        #expect(scratch.entries.isEmpty, "no report, no temporary file: \(scratch.entries)")
    }

    @Test("--report and --junit are run options: refused with --list, and given once")
    func refusedCombinations() throws {
        let list = try LampctlProcess.run(["scenario", "--list", "--report", "r.html"])
        #expect(list.status == 64)
        #expect(list.stderr.contains("--list and --report cannot be combined"), "\(list.stderr)")
        let twice = try LampctlProcess.run(["scenario", "--junit", "a.xml", "--junit", "b.xml"])
        #expect(twice.status == 64)
        #expect(twice.stderr.contains("--junit was given more than once"), "\(twice.stderr)")
    }

    @Test("docs/matrix.md is what lampctl matrix --format md prints (run make docs)")
    func matrixDocCurrent() throws {
        let run = try LampctlProcess.runOnTestDatabase(["matrix", "--format", "md"])
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try String(contentsOf: Fixtures.directory.deletingLastPathComponent().appendingPathComponent("docs/matrix.md"), encoding: .utf8)
        #expect(run.stdout == doc, "docs/matrix.md is out of date: run make docs")
    }

    @Test("lampctl matrix: bad values are usage errors naming the choices")
    func matrixOptions() throws {
        let level = try LampctlProcess.run(["matrix", "--isolation", "snapshot"])
        #expect(level.status == 64)
        #expect(level.stderr.hasPrefix("lampctl: --isolation snapshot: not a level; choose read-committed, repeatable-read, serializable or server-default"))
        let orm = try LampctlProcess.run(["matrix", "--orm", "hibernate"])
        #expect(orm.status == 64)
        #expect(orm.stderr.hasPrefix("lampctl: --orm hibernate: not an ORM lampctl has; choose sqlalchemy, django or all"))
        let html = try LampctlProcess.runOnTestDatabase(["matrix", "--format", "html", "--orm", "django", "--isolation", "repeatable-read"])
        #expect(html.status == 0, "\(html.stderr)")
        #expect(html.stdout.contains("<title>lampctl fix matrix at repeatable read</title>"))
        #expect(html.stdout.contains("<td class=\"bad\">stale: instance copy</td>"))
    }

    @Test("progress: on a terminal's stderr once the run is long enough (cases done of planned), cleared at the end")
    func progressOnATerminal() throws {
        // script(1) gives lampctl a terminal; the table goes to a file so only stderr reaches it.
        let scratch = try ScratchDirectory("progress")
        let command = "\(LampctlProcess.binary) scenario --fix none,refresh --isolation all --output \(scratch.at("table.txt"))"
        let run = try TestProcess.run("/usr/bin/script", ["-qec", command, "/dev/null"], environment: LampctlProcess.environment([
            "DATABASE_URL": try TestDatabase.url, "LAMPCTL_PROGRESS_AFTER": "0",
        ]))
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.contains("\r\u{1B}[K6 of 6 cases"), "\(run.stdout.debugDescription)")
        #expect(run.stdout.hasSuffix("\r\u{1B}[K"), "the line is cleared at the end: \(run.stdout.debugDescription)")
        #expect(try String(contentsOfFile: scratch.at("table.txt"), encoding: .utf8).contains("refresh"))
    }
}

import Foundation
import TestSupport
import Testing

/// Choosing the ORM on the command line and in a file: what a Django run refuses (SQLAlchemy's
/// options and files), and what it lists and prints. None of these needs a database.
@Suite("Django on the command line", .bounded)
struct DjangoCommandLineTests {
    @Test("SQLAlchemy's options, a file of the other ORM and a mixed run are usage errors, one line each")
    func refusals() throws {
        let dir = try ScratchDirectory("django-cli")
        let sqlalchemy = dir.at("mine.scenario"), django = dir.at("dj.scenario")
        try "scenario mine\nsession S1 test\nS1 create\nS1 expect off\n".write(toFile: sqlalchemy, atomically: true, encoding: .utf8)
        try "scenario dj orm=django\nsession S1 test\nS1 create\nS1 expect off\n".write(toFile: django, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["scenario", "--orm", "django", "--app", "flush"], "lampctl: --app is SQLAlchemy's; this run is Django's\n"),
            (["scenario", "--fix", "django-none", "--expire-on-commit", "true"], "lampctl: --expire-on-commit is SQLAlchemy's; this run is Django's\n"),
            (["scenario", "--orm", "django", "--fixture", "savepoint-join"],
             "lampctl: unknown fixture 'savepoint-join' (SQLAlchemy's test wrapper; this run is Django's): expected live-server, transaction-test-case, test-case, test-case-live-server or all\n"),
            (["scenario", "--orm", "sqlalchemy", "--file", django],
             "lampctl: \(django):1:13: this is a Django scenario (orm=django); the run asked for --orm sqlalchemy\n"),
            (["scenario", "--fix", "none", "--file", django],
             "lampctl: a run is of one ORM: none (SQLAlchemy) and dj (Django); run them separately\n"),
            (["scenario", "--orm", "django", "--replica"], "lampctl: --replica: the replica scenarios are SQLAlchemy's; Django has none yet\n"),
            (["scenario", "--orm", "django", "--orm", "django"], "lampctl: --orm was given more than once: give it once"),
        ]
        for (arguments, message) in cases {
            let run = try LampctlProcess.run(arguments)
            // A file's own line is a data error (65), like any other parse error; the rest are usage errors.
            #expect(run.status == (message.contains(":1:13:") ? 65 : 64), "\(arguments): \(run.stderr)")
            let line = message.hasSuffix("\n") ? String(message.dropLast()) : message
            #expect(run.stderr.hasPrefix(line), "\(arguments): \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(arguments): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
        // A file without orm= follows --orm: the same steps mean Django's calls there.
        let asDjango = try LampctlProcess.run(["scenario", "--orm", "django", "--file", sqlalchemy, "--grammar"])
        #expect(asDjango.status == 64)
    }

    @Test("--list, --grammar and --show with --orm django print Django's built-ins and lines")
    func listings() throws {
        let list = try LampctlProcess.run(["scenario", "--list", "--orm", "django"])
        #expect(list.status == 0, "\(list.stderr)")
        let names = list.stdout.split(separator: "\n").map { String($0.prefix { $0 != " " }) }
        #expect(names.first == "django-none" && names.contains("django-testcase-live-server") && !names.contains("refresh"))
        let grammar = try LampctlProcess.run(["scenario", "--grammar", "--orm", "django"])
        #expect(grammar.status == 0)
        #expect(grammar.stdout.contains("S1 atomic") && grammar.stdout.contains("S1 iterate") && !grammar.stdout.contains("S1 expire-all"))
        let show = try LampctlProcess.run(["scenario", "--show", "django-none"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("scenario django-none orm=django"))
    }
}

import ArgumentParser
import Foundation
import LampctlKit
import Watch

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Run your own test command against PostgreSQL through lampctl, and report its stale reads.",
        discussion: """
            The command gets DATABASE_URL and libpq's PG* variables (PGHOST, PGPORT, PGUSER, PGDATABASE) pointing at a relay in front of the database (the embedded server, or --database-url), so every connection it makes is read on the wire, whatever its ORM or language. Committed row changes come from the server itself (logical decoding on a temporary slot, which needs wal_level=logical; the embedded server has it). Afterwards, per row another connection committed a change to, each connection that had received that row before says what it received afterwards: nothing newer (an object kept in memory is stale), re-read in an old snapshot, or re-read fresh; values received that were never committed; and statements that waited for a lock another connection held. See docs/watch.md.

            The command's output passes through untouched; lampctl exits with its exit status (with --fail-on stale: 1 when there is a stale finding). TLS is refused on the relay: a client that requires it must use sslmode=disable or prefer.

            Examples:
              lampctl watch -- pytest tests/
              lampctl watch --json --output findings.jsonl -- pytest -x tests/test_lamps.py
              lampctl watch --database-url postgresql://me@localhost/test --fail-on stale -- python -m pytest
            """)

    @Flag(help: "JSON Lines: one object per finding, then a summary object.")
    var json = false

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("Exit 1 when the report has a stale finding (nothing newer, re-read in an old snapshot, never committed), instead of the command's status.", valueName: "stale"))
    var failOn: [FailOn] = []

    @Option(name: .customLong("output"), help: ArgumentHelp("Write the report to a file instead of stdout (as '>' would, atomically).", valueName: "file"),
            completion: .file())
    var outputs: [String] = []

    @OptionGroup var database: DatabaseOptions

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The command to run, after --.", valueName: "command"))
    var command: [String] = []

    func validate() throws {
        try OnceOptions.check([("--fail-on", failOn.count), ("--output", outputs.count)])
        if command.isEmpty { throw ValidationError("give the command to watch after --: lampctl watch -- pytest") }
    }

    func run() throws {
        let sink = try OutputSink(path: outputs.last)
        let db = try database.open()
        defer { db.close() }
        let outcome = try WatchRun.execute(command, database: db)
        sink.write(json ? outcome.report.jsonLines() : outcome.report.text())
        try sink.commit()
        if !failOn.isEmpty {
            if outcome.report.findings.contains(where: { $0.kind.isStale }) { throw ExitCode(1) }
        }
        if outcome.exitStatus != 0 { throw ExitCode(outcome.exitStatus) }
    }
}

/// `--fail-on` values.
enum FailOn: String, ExpressibleByArgument, CaseIterable {
    case stale
}

import ArgumentParser
import LampctlKit

/// The root command.
struct Lampctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lampctl",
        abstract: "Reproduce, measure and explain the two-session stale read against a real PostgreSQL.",
        discussion: """
            A test and the application under test use two ORM sessions on one database. The application commits 'on'; the test still reads 'off'. lampctl runs that scenario with real libpq sessions that behave like SQLAlchemy 2.x, once per fix strategy, and prints for each whether the test's read is stale or fresh, and why.

            Database: --database-url, else DATABASE_URL, else libpq's PG* variables that name a database (PGHOST, PGPORT, PGDATABASE, PGUSER, PGSERVICE, ...), else an embedded PostgreSQL that lampctl starts on demand (state in LAMPCTL_HOME) and stops when the last lampctl using it is done.

            Examples:
              lampctl scenario
              lampctl scenario --fix refresh --isolation all --trace
              lampctl create && lampctl switch-on 1 && lampctl read 1
              DATABASE_URL=postgresql://me@db.example/test lampctl scenario
              lampctl scenario --isolation all --report report.html --junit results.xml
              lampctl matrix --format md
              lampctl watch -- pytest tests/

            \(ExitStatus.helpText)
            """,
        version: LampctlVersion.current,
        subcommands: [
            ScenarioCommand.self, MatrixCommand.self, WatchCommand.self, CreateCommand.self, SwitchOnCommand.self, ReadCommand.self,
            ListCommand.self, DBCommand.self, DoctorCommand.self,
        ]
    )
}

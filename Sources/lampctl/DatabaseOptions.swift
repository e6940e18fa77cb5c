import ArgumentParser
import Foundation
import LampctlKit

/// `--database-url`, shared by every command that talks to PostgreSQL.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "libpq connection string (URL or key=value). Default: $DATABASE_URL, else the embedded server.",
        valueName: "url"))
    var databaseURL: String?

    /// Resolves the database (starting the embedded server if needed).
    func open() throws -> Database {
        try Database(flag: databaseURL, environment: ProcessInfo.processInfo.environment)
    }
}

import ArgumentParser
import Foundation
import LampctlKit

/// `--database-url`, shared by every command that talks to PostgreSQL.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "libpq connection string (URL or key=value; postgresql+DRIVER:// accepted). Default: $DATABASE_URL, else libpq's PG* variables, else the embedded server. An empty value counts as not given.",
        valueName: "url"))
    var databaseURL: String?

    /// Resolves the database (starting the embedded server if needed).
    func open() throws -> Database {
        try Database(flag: databaseURL, environment: ProcessInfo.processInfo.environment, onWait: WaitReport.standardError)
    }
}

import ArgumentParser
import Foundation
import LampctlKit

/// `--database-url`, shared by every command that talks to PostgreSQL.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: ArgumentHelp(
        "libpq connection string (URL or key=value; postgresql+DRIVER:// accepted). Default: $DATABASE_URL, else libpq's PG* variables when one names a database (PGHOST, PGHOSTADDR, PGPORT, PGDATABASE, PGUSER, PGSERVICE), else the embedded server; the other PG* variables (PGAPPNAME, PGCONNECT_TIMEOUT, PGSSLMODE, ...) apply to whichever it is. An empty value counts as not given.",
        valueName: "url"))
    var databaseURLs: [String] = []

    /// `--database-url`, given once (see `OnceOptions`).
    var databaseURL: String? { databaseURLs.last }

    func validate() throws {
        try OnceOptions.check([("--database-url", databaseURLs.count)])
    }

    /// Resolves the database (starting the embedded server if needed).
    func open() throws -> Database {
        try Database(flag: databaseURL, environment: ProcessInfo.processInfo.environment, onWait: WaitReport.standardError)
    }
}

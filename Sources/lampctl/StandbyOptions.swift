import ArgumentParser
import Foundation
import LampctlKit

/// `--replica`, `--standby-url`: the hot standby that replica scenarios read from.
struct StandbyOptions: ParsableArguments {
    @Flag(help: "Run the replica scenarios (the test reads a hot standby): the embedded standby, or --standby-url.")
    var replica = false

    @Option(name: .long, help: ArgumentHelp(
        "A hot standby of the --database-url primary, for sessions with reads=standby. Default: $STANDBY_URL, else the embedded standby (with the embedded server).",
        valueName: "url"))
    var standbyURL: String?

    /// Resolves the database, with a standby when `needed`.
    func open(_ database: DatabaseOptions, needed: Bool) throws -> Database {
        try Database(flag: database.databaseURL, environment: ProcessInfo.processInfo.environment,
                     standby: needed, standbyFlag: standbyURL, onWait: WaitReport.standardError)
    }
}

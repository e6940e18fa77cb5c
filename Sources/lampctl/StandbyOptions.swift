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

    @Option(help: ArgumentHelp(
        "The standby's recovery_min_apply_delay for this run (ALTER SYSTEM on the standby when allowed; else its own delay is measured and reported).",
        valueName: "ms"))
    var replayDelay = ReplayDelay.defaultValue

    func validate() throws {
        if ReplayDelay.milliseconds(replayDelay) == nil {
            throw ValidationError("--replay-delay: expected milliseconds such as 400ms, 1s or 0, found '\(replayDelay)'")
        }
    }

    /// Resolves the database, with a standby (its replay delay set) when `needed`.
    func open(_ database: DatabaseOptions, needed: Bool) throws -> Database {
        let db = try Database(flag: database.databaseURL, environment: ProcessInfo.processInfo.environment,
                              standby: needed, standbyFlag: standbyURL, onWait: WaitReport.standardError)
        if let standby = db.standbyConnectionString,
           let note = try ReplayDelay.apply(replayDelay, standby: standby) {
            writeStandardError(note + "\n")
        }
        return db
    }
}

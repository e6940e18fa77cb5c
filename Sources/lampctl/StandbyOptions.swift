import ArgumentParser
import Foundation
import LampctlKit

/// `--replica`, `--standby-url`: the hot standby that replica scenarios read from.
struct StandbyOptions: ParsableArguments {
    @Flag(help: "Run the replica scenarios (the test reads a hot standby): the embedded standby, or --standby-url.")
    var replica = false

    @Option(name: .customLong("standby-url"), help: ArgumentHelp(
        "A hot standby of the --database-url primary, for sessions with reads=standby. Default: $STANDBY_URL, else the embedded standby (with the embedded server).",
        valueName: "url"))
    var standbyURLs: [String] = []

    @Option(name: .customLong("replay-delay"), help: ArgumentHelp(
        "The standby's recovery_min_apply_delay for this run (ALTER SYSTEM on the standby when allowed; else its own delay is measured and reported). Default: \(ReplayDelay.defaultValue).",
        valueName: "ms"))
    var replayDelays: [String] = []

    /// `--standby-url`, given once (see `OnceOptions`).
    var standbyURL: String? { standbyURLs.last }
    /// `--replay-delay`, given once, or its default.
    var replayDelay: String { replayDelays.last ?? ReplayDelay.defaultValue }

    func validate() throws {
        try OnceOptions.check([("--standby-url", standbyURLs.count), ("--replay-delay", replayDelays.count)])
        if ReplayDelay.milliseconds(replayDelay) == nil {
            throw ValidationError("--replay-delay: expected milliseconds such as 400ms, 1s or 0, found '\(replayDelay)'")
        }
    }

    /// Refuses `--standby-url` and `--replay-delay` for a run that reads no standby (they would be ignored).
    func checkUsed(needed: Bool) throws {
        guard !needed, let option = [(!standbyURLs.isEmpty, "--standby-url"), (!replayDelays.isEmpty, "--replay-delay")].first(where: \.0)?.1
        else { return }
        throw LampctlError("\(option) applies only to runs that read a hot standby: add --replica (or run a scenario file with reads=standby)",
                           status: .usage)
    }

    /// Resolves the database, with a standby (its replay delay set) when `needed`.
    func open(_ database: DatabaseOptions, needed: Bool) throws -> Database {
        let db = try Database(flag: database.databaseURL, environment: ProcessInfo.processInfo.environment,
                              standby: needed, standbyFlag: standbyURL, onWait: WaitReport.standardError)
        // Runs on one home never change each other's delay: claim it before setting it.
        try db.holdEmbeddedReplayDelay(milliseconds: ReplayDelay.milliseconds(replayDelay) ?? 0)
        if let standby = db.standbyConnectionString,
           let note = try ReplayDelay.apply(replayDelay, standby: standby) {
            writeStandardError(note + "\n")
        }
        return db
    }
}

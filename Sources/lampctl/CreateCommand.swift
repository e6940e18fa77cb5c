import ArgumentParser
import LampctlKit
import Scenario

struct CreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Insert a lamp (as the test does) and print its id.",
        discussion: """
            The lamp lives in lampctl's own schema "lampctl" (created on first use).

            Examples:
              lampctl create                 # prints the new id, e.g. 1
              lampctl create --status on --json
            """)

    @Option(name: .customLong("status"), help: "Initial status (default: the column default, off).")
    var statuses: [LampStatus] = []
    var status: LampStatus? { statuses.last }

    @Flag(help: "Print JSON: {\"id\": N, \"status\": \"off\"}.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        try OnceOptions.check([("--status", statuses.count)])
    }

    func run() throws {
        let db = try database.open()
        defer { db.close() }
        let lamp = try LampCommands.create(status: status?.rawValue, in: db)
        print(json ? JSONText.object([("id", String(lamp.id)), ("status", JSONText.string(lamp.status))]) : String(lamp.id))
        if let error = StandardOutput.flush() {
            throw StandardOutput.failure(error, "lamp \(lamp.id) was created, but its id could not be printed: standard output")
        }
    }
}

/// `off` or `on`.
enum LampStatus: String, ExpressibleByArgument, CaseIterable {
    case off, on
}

import ArgumentParser
import LampctlKit
import Scenario
import LampApp

struct SwitchOnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switch-on",
        abstract: "The application's endpoint: switch a lamp on with its own session.",
        discussion: """
            Opens the application's own session, loads the lamp, reports its status, sets it on, commits, refreshes and reports the status after. The same handler runs as S2 in 'lampctl scenario'.

            Examples:
              lampctl switch-on 1            # lamp 1: off -> on
              lampctl switch-on 1 --json
            """)

    @Argument(help: "The lamp id.", transform: LampID.parse)
    var id: LampID

    @Flag(help: "Print JSON: {\"id\": N, \"before\": \"off\", \"after\": \"on\"}.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let db = try database.open()
        defer { db.close() }
        let response = try LampCommands.switchOn(id: id.value, in: db)
        if json {
            print(JSONText.object([
                ("id", String(response.id)), ("before", JSONText.optional(response.before)),
                ("after", JSONText.optional(response.after)),
            ]))
        } else {
            print("lamp \(response.id): \(response.before ?? "NULL") -> \(response.after ?? "NULL")")
        }
    }
}

import ArgumentParser
import LampctlKit
import Scenario

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the lamps in lampctl's schema.",
        discussion: """
            Examples:
              lampctl list
              lampctl list --json            # one JSON object per line
            """)

    @Flag(help: "Print JSON Lines: {\"id\": N, \"status\": \"...\"} per lamp.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let db = try database.open()
        defer { db.close() }
        let lamps = try LampCommands.list(in: db)
        if json {
            for lamp in lamps {
                print(JSONText.object([("id", String(lamp.id)), ("status", JSONText.string(lamp.status))]))
            }
        } else {
            print("id  status")
            for lamp in lamps { print("\(lamp.id)  \(lamp.status)") }
        }
    }
}

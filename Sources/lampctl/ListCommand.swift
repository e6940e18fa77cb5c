import ArgumentParser
import LampctlKit
import Scenario
import Foundation

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
            let width = max(2, lamps.map { String($0.id).count }.max() ?? 0)
            print("id".padding(toLength: width, withPad: " ", startingAt: 0) + "  status")
            for lamp in lamps {
                let id = String(lamp.id)
                print(String(repeating: " ", count: width - id.count) + id + "  " + lamp.status)
            }
        }
    }
}

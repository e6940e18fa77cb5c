import ArgumentParser
import LampctlKit
import Scenario

struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Print a lamp's committed status (a plain read on a fresh connection).",
        discussion: """
            Examples:
              lampctl read 1                 # on
              lampctl read 1 --json          # {"id": 1, "status": "on"}
            """)

    @Argument(help: "The lamp id.", transform: LampID.parse)
    var id: LampID

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let db = try database.open()
        defer { db.close() }
        let lamp = try LampCommands.read(id: id.value, in: db)
        print(json ? JSONText.object([("id", String(lamp.id)), ("status", JSONText.string(lamp.status))]) : lamp.status)
    }
}

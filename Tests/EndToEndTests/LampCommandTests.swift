import Foundation
import TestSupport
import Testing

/// `create`, `switch-on`, `read`, `list` through the built binary, against the test database.
@Suite("Lamp commands end to end", .bounded)
struct LampCommandTests {
    @Test("create, switch-on, read shows on")
    func createSwitchOnRead() throws {
        let created = try LampctlProcess.runOnTestDatabase(["create"])
        #expect(created.status == 0, "\(created.stderr)")
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Int(id) != nil, "create prints the id alone: \(created.stdout)")
        #expect(try LampctlProcess.runOnTestDatabase(["read", id]).stdout == "off\n")
        let switched = try LampctlProcess.runOnTestDatabase(["switch-on", id])
        #expect(switched.status == 0)
        #expect(switched.stdout == "lamp \(id): off -> on\n")
        #expect(try LampctlProcess.runOnTestDatabase(["read", id]).stdout == "on\n")
    }

    @Test("--json shapes")
    func jsonShapes() throws {
        let created = try LampctlProcess.runOnTestDatabase(["create", "--status", "off", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["id", "status"])
        let id = try #require(object["id"] as? Int)
        let switched = try LampctlProcess.runOnTestDatabase(["switch-on", String(id), "--json"])
        let response = try #require(try JSONSerialization.jsonObject(with: Data(switched.stdout.utf8)) as? [String: Any])
        #expect(response["before"] as? String == "off")
        #expect(response["after"] as? String == "on")
        #expect(response["id"] as? Int == id)
        let read = try LampctlProcess.runOnTestDatabase(["read", String(id), "--json"])
        #expect(read.stdout == "{\"id\": \(id), \"status\": \"on\"}\n")
        let list = try LampctlProcess.runOnTestDatabase(["list", "--json"])
        #expect(list.stdout.contains("{\"id\": \(id), \"status\": \"on\"}\n"))
    }

    @Test("a missing lamp: 'lamp N not found', exit 1", arguments: [["switch-on", "2147483647"], ["read", "2147483647"]])
    func missingLamp(_ arguments: [String]) throws {
        let output = try LampctlProcess.runOnTestDatabase(arguments)
        #expect(output.status == 1)
        #expect(output.stderr == "lampctl: lamp 2147483647 not found\n")
        #expect(output.stdout.isEmpty)
    }
}

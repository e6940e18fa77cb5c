import Postgres
import TestSupport
import Testing

/// Identifiers go through PQescapeIdentifier: the quoted form names exactly the given string.
@Suite("Identifier escaping", .bounded)
struct EscapeIdentifierTests {
    @Test("Quotes are doubled and the name is wrapped in double quotes", arguments: [
        ("plain", #""plain""#),
        ("with space", #""with space""#),
        (#"we"ird"#, #""we""ird""#),
        (#""; drop schema public; --"#, #""""; drop schema public; --""#),
        ("MixedCase", #""MixedCase""#),
    ])
    func quoting(_ name: String, _ expected: String) throws {
        let connection = try TestDatabase.connect()
        defer { connection.close() }
        #expect(try connection.escapeIdentifier(name) == expected)
    }

    @Test("A schema whose name has quotes and spaces is created and dropped under exactly that name")
    func createAndDropAwkwardSchema() throws {
        let connection = try TestDatabase.connect()
        defer { connection.close() }
        let name = "lampctl test \"quoted\" \(UInt32.random(in: 0...UInt32.max)) 💡"
        let quoted = try connection.escapeIdentifier(name)

        try connection.execute("CREATE SCHEMA \(quoted)")
        defer { _ = try? connection.execute("DROP SCHEMA IF EXISTS \(quoted) CASCADE") }
        #expect(try connection.execute("SELECT nspname FROM pg_namespace WHERE nspname = $1", [name]).rows == [[name]])

        try connection.execute("CREATE TABLE \(quoted).t (x int)")
        try connection.execute("INSERT INTO \(quoted).t VALUES (1)")
        #expect(try connection.execute("SELECT x FROM \(quoted).t").rows == [["1"]])

        try connection.execute("DROP SCHEMA \(quoted) CASCADE")
        #expect(try connection.execute("SELECT nspname FROM pg_namespace WHERE nspname = $1", [name]).rows.isEmpty)
    }
}

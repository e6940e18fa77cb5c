import Postgres
import TestSupport
import Testing

/// Text parameters go to the server as values, never spliced into SQL: whatever goes in comes back.
@Suite("Parameters", .bounded)
struct ParameterTests {
    struct Awkward: CustomTestStringConvertible, Sendable {
        var name: String
        var value: String?
        var testDescription: String { name }
    }

    static let awkwardValues: [Awkward] = [
        Awkward(name: "single quotes", value: "it's 'quoted' ''twice''"),
        Awkward(name: "double quotes", value: "say \"hi\""),
        Awkward(name: "backslashes", value: #"C:\path\to\n\x00\\"#),
        Awkward(name: "SQL injection attempt", value: "'; drop table x; --"),
        Awkward(name: "dollar placeholders", value: "$1 $2 $$ $tag$"),
        Awkward(name: "emoji", value: "lamp 💡 on 🔛, family 👨‍👩‍👧"),
        Awkward(name: "combining characters", value: "e\u{301} vs \u{e9}, a\u{308}\u{323}"),
        Awkward(name: "newlines and tabs", value: "line 1\nline 2\r\n\tend"),
        Awkward(name: "empty string", value: ""),
        Awkward(name: "NULL", value: nil),
    ]

    @Test("A value selected back is byte-identical", arguments: awkwardValues)
    func selectRoundTrip(_ awkward: Awkward) throws {
        let connection = try TestDatabase.connect()
        defer { connection.close() }

        let result = try connection.execute("SELECT $1::text AS value, $1::text IS NULL AS is_null", [awkward.value])
        let back = try #require(result.rows.first)
        #expect(back[0].map { Array($0.utf8) } == awkward.value.map { Array($0.utf8) })
        #expect(back[1] == (awkward.value == nil ? "t" : "f"))
    }

    @Test("A value stored in a table and read back is byte-identical", arguments: awkwardValues.filter { $0.value != nil })
    func storedRoundTrip(_ awkward: Awkward) throws {
        let schema = try TestDatabase.makeSchema()
        defer { TestDatabase.dropSchema(schema) }
        let connection = try TestDatabase.connect(schema: schema)
        defer { connection.close() }

        let inserted = try connection.execute(
            "INSERT INTO lamps (status) VALUES ($1) RETURNING id", [awkward.value])
        let id = try #require(inserted.rows.first?.first ?? nil)
        let read = try connection.execute("SELECT status, octet_length(status) FROM lamps WHERE id = $1", [id])
        #expect(read.value("status").map { Array($0.utf8) } == awkward.value.map { Array($0.utf8) })
        #expect(read.rows.first?[1] == awkward.value.map { String($0.utf8.count) })
        // The table is intact (the injection attempt stayed a value).
        #expect(try connection.execute("SELECT count(*) FROM lamps").rows == [["1"]])
    }

    @Test("NULL and the empty string stay distinct")
    func nullIsNotEmpty() throws {
        let connection = try TestDatabase.connect()
        defer { connection.close() }

        let result = try connection.execute("SELECT $1::text, $2::text, $1::text IS NOT DISTINCT FROM $2::text", ["", nil])
        #expect(result.rows == [["", nil, "f"]])
    }
}

import Foundation
import TestSupport
import Testing

/// Colour follows the conventions: `NO_COLOR` with a non-empty value turns it off (set but empty,
/// it does nothing), `FORCE_COLOR` or `CLICOLOR_FORCE` turn it on where output is not a terminal.
@Suite("Colour from the environment", .bounded)
struct ColorEnvironmentTests {
    static let escape = "\u{1B}["

    static func table(_ environment: [String: String?]) throws -> String {
        var environment = environment
        environment["DATABASE_URL"] = try TestDatabase.url
        if environment["NO_COLOR"] == nil { environment["NO_COLOR"] = .some(nil) }
        let output = try LampctlProcess.run(["scenario", "--fix", "none"], environment: environment)
        #expect(output.status == 0, "\(output.stderr)")
        return output.stdout
    }

    @Test("FORCE_COLOR and CLICOLOR_FORCE colour a pipe; 0 or empty do not")
    func forced() throws {
        #expect(try Self.table(["FORCE_COLOR": "1"]).contains(Self.escape))
        #expect(try Self.table(["CLICOLOR_FORCE": "1"]).contains(Self.escape))
        #expect(try Self.table(["FORCE_COLOR": "1", "NO_COLOR": ""]).contains(Self.escape), "an empty NO_COLOR does not disable it")
        #expect(try !Self.table([:]).contains(Self.escape), "a pipe is not coloured by default")
        #expect(try !Self.table(["FORCE_COLOR": "0"]).contains(Self.escape))
        #expect(try !Self.table(["FORCE_COLOR": "1", "NO_COLOR": "1"]).contains(Self.escape), "a non-empty NO_COLOR wins")
    }

    @Test("on a terminal, NO_COLOR set but empty keeps colour; non-empty turns it off")
    func terminal() throws {
        func run(_ noColor: String) throws -> String {
            // script(1) gives lampctl a pseudo-terminal as stdout.
            var environment = LampctlProcess.environment(["DATABASE_URL": try TestDatabase.url, "TERM": "xterm"])
            environment["NO_COLOR"] = noColor
            let command = "'\(LampctlProcess.binary)' scenario --fix none"
            return try TestProcess.run("/usr/bin/script", ["-qec", command, "/dev/null"], environment: environment).stdout
        }
        #expect(try run("").contains(Self.escape))
        #expect(try !run("1").contains(Self.escape))
    }
}

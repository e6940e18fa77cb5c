import ArgumentParser
import Foundation
import LampctlKit

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check what lampctl needs (libpq, server, privileges, writes, timeouts) and say what to fix.",
        discussion: """
            Exits 0 when every check passes, 1 otherwise.

            Examples:
              lampctl doctor
              DATABASE_URL=postgresql://me@db/test lampctl doctor
            """)

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let checks = Doctor.run(databaseFlag: database.databaseURL, environment: ProcessInfo.processInfo.environment)
        for check in checks {
            print("\(check.ok ? "ok  " : "FAIL")  \(check.name.padding(toLength: 16, withPad: " ", startingAt: 0))\(check.detail)")
        }
        if checks.contains(where: { !$0.ok }) { throw ExitCode(ExitStatus.failure.rawValue) }
    }
}

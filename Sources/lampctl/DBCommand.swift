import ArgumentParser
import Foundation
import LampctlKit
import LocalServer
import Scenario

/// `lampctl db ...`: the embedded PostgreSQL.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the embedded PostgreSQL (used when no database URL is given).",
        discussion: """
            State lives in LAMPCTL_HOME (default: /var/lib/lampctl for root, else ~/.local/state/lampctl). The server listens on a private unix socket only, never on TCP.

            Examples:
              lampctl db start && psql "$(lampctl db url)"
              lampctl db status
              lampctl db stop
            """,
        subcommands: [Start.self, Stop.self, Status.self, URL.self, Reset.self])

    static var configurationFromEnvironment: LocalServerConfiguration {
        LocalServerConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start the server and keep it running until 'lampctl db stop'.")
        func run() throws {
            let status = try wrap { try LocalServer.start(DBCommand.configurationFromEnvironment) }
            print("running (pid \(status.postmasterPID.map(String.init) ?? "?")): \(status.connectionString)")
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the server now.")
        func run() throws {
            let stopped = try wrap { try LocalServer.stop(DBCommand.configurationFromEnvironment) }
            print(stopped ? "stopped" : "not running")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show whether the server runs, and where its files are.")
        @Flag(help: "Print JSON.") var json = false
        func run() throws {
            let status = LocalServer.status(DBCommand.configurationFromEnvironment)
            if json {
                print(JSONObjectLine.status(status))
            } else {
                print("state:      \(status.running ? (status.kept ? "running (kept: until 'lampctl db stop')" : "running (on demand)") : "stopped")")
                if let pid = status.postmasterPID { print("pid:        \(pid)") }
                print("data:       \(status.dataDirectory)\(status.initialised ? "" : " (not created yet)")")
                print("socket:     \(status.socketDirectory)")
                print("url:        \(status.connectionString)")
            }
        }
    }

    struct URL: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "url", abstract: "Print the server's connection string.")
        func run() throws {
            print(LocalServer.connectionString(DBCommand.configurationFromEnvironment))
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the server and delete its data (all lamps).")
        @Option(help: ArgumentHelp(
            "Leave the embedded server alone; on this database, drop only the run schemas that lampctl runs left behind.",
            valueName: "url"))
        var databaseURL: String?
        func run() throws {
            if let databaseURL {
                let dropped = try wrap { try AbandonedRunSchemas.sweep(databaseURL: databaseURL) }
                AbandonedRunSchemas.report(dropped)
                print("reset: \(dropped.count) abandoned run schema\(dropped.count == 1 ? "" : "s") dropped")
                return
            }
            try wrap { try LocalServer.reset(DBCommand.configurationFromEnvironment) }
            print("reset: the data directory will be created again on next use")
        }
    }
}

/// Runs a LocalServer call, mapping its errors to lampctl's.
func wrap<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch { throw LampctlError.from(error) }
}

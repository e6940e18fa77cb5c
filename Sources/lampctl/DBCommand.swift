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
              lampctl db status        # exit 0 when running, 3 when not (as pg_ctl status)
              lampctl db stop

            If the home's path is too long for a unix socket (~107 bytes), the socket directory is /tmp/lampctl-<uid>-<hash> instead; 'lampctl db status' shows where.
            """,
        subcommands: [Start.self, Stop.self, Status.self, URL.self, Reset.self])

    /// The embedded server's configuration, saying on stderr what a long wait waits for.
    static var configurationFromEnvironment: LocalServerConfiguration {
        var configuration = LocalServerConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
        configuration.onWait = WaitReport.standardError
        return configuration
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
        static let configuration = CommandConfiguration(
            abstract: "Show whether the server runs, and where its files are.",
            discussion: "Exit status: 0 when the server runs (or is starting or stopping), 3 when it does not, as pg_ctl status.")
        @Flag(help: "Print JSON.") var json = false
        func run() throws {
            let status = LocalServer.status(DBCommand.configurationFromEnvironment)
            if json {
                print(JSONObjectLine.status(status))
            } else {
                print("state:      \(Self.describe(status))")
                if let pid = status.postmasterPID { print("pid:        \(pid)") }
                print("data:       \(status.dataDirectory)\(status.initialised ? "" : " (not created yet)")")
                print("socket:     \(status.socketDirectory)")
                print("url:        \(status.connectionString)")
            }
            if status.isStopped { throw ExitCode(Self.notRunning) }
        }

        /// The exit status when nothing runs, as `pg_ctl status`.
        static let notRunning: Int32 = 3

        static func describe(_ status: LocalServerStatus) -> String {
            switch status.phase {
            case .running: status.kept ? "running (kept: until 'lampctl db stop')" : "running (on demand)"
            case .starting: "starting"
            case .stopping: "stopping"
            case .stopped: status.postmasterPID == nil ? "stopped" : "stopping"
            }
        }
    }

    struct URL: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "url", abstract: "Print the server's connection string.")
        func run() throws {
            let configuration = DBCommand.configurationFromEnvironment
            if LocalServer.status(configuration).isStopped {
                writeStandardError("lampctl: the embedded server is not running: start it with 'lampctl db start' to connect with this URL\n")
            }
            print(LocalServer.connectionString(configuration))
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

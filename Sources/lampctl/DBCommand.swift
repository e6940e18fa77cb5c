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
              lampctl db start --standby && psql "$(lampctl db url --standby)"   # a hot standby streaming from it
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
        @Flag(help: "Also start the hot standby (made from the primary with pg_basebackup on first use).")
        var standby = false
        func run() throws {
            let status = try wrap { try LocalServer.start(DBCommand.configurationFromEnvironment) }
            print("running (pid \(status.postmasterPID.map(String.init) ?? "?")): \(status.connectionString)")
            guard standby else { return }
            let standbyStatus = try wrap { try LocalServer.startStandby(DBCommand.configurationFromEnvironment) }
            // Returns once the standby counts as synchronous, so remote_apply commits wait for it.
            try wrap {
                try StandbySync.waitUntilSynchronous(primary: status.connectionString, standby: standbyStatus.connectionString,
                                                     applicationName: LocalServer.standbyApplicationName,
                                                     notice: WaitReport.standardError)
                // And caught up: a run's first queries on it must not meet the replay of a backlog.
                try StandbySync.waitUntilReplayed(primary: status.connectionString, standby: standbyStatus.connectionString,
                                                  notice: WaitReport.standardError)
            }
            print("standby running (pid \(standbyStatus.postmasterPID.map(String.init) ?? "?")): \(standbyStatus.connectionString)")
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop the server (and its standby) now.",
            discussion: "While another lampctl invocation uses the server (a scenario run), it refuses after waiting 5 s for it to finish, as 'db reset' does; --force stops the server anyway (that invocation then fails).")
        @Flag(help: "Stop the server even while another lampctl invocation uses it.")
        var force = false
        func run() throws {
            let stopped = try wrap { try LocalServer.stop(DBCommand.configurationFromEnvironment, force: force) }
            print(stopped ? "stopped" : "not running")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show whether the server runs, and where its files are.",
            discussion: "Exit status: 0 when the server runs (or is starting or stopping), 3 when it does not, as pg_ctl status.")
        @Flag(help: "Print JSON.") var json = false
        func run() throws {
            let configuration = DBCommand.configurationFromEnvironment
            let status = LocalServer.status(configuration)
            // The standby, once made: its own status, and replication as both servers see it.
            let standby = LocalServer.status(configuration, cluster: .standby)
            let replication = standby.initialised && status.running && standby.running
                ? ReplicationState.read(primary: status.connectionString, standby: standby.connectionString,
                                        applicationName: LocalServer.standbyApplicationName)
                : nil
            if json {
                print(standby.initialised
                      ? JSONObjectLine.status(status, standby: standby, replication: replication,
                                              broken: LocalServer.standbyBrokenReason(configuration).map { "the standby \($0)" })
                      : JSONObjectLine.status(status))
            } else {
                Self.printLines(status, prefix: "")
                if standby.initialised {
                    Self.printLines(standby, prefix: "standby ")
                    if let broken = LocalServer.standbyBrokenReason(configuration) {
                        print("replication: broken: the standby \(broken); the next run that reads it makes it again")
                    } else {
                        print("replication: \(replication?.summary ?? "not running")")
                    }
                }
            }
            if status.isStopped && standby.isStopped { throw ExitCode(Self.notRunning) }
        }

        private static func printLines(_ status: LocalServerStatus, prefix: String) {
            func line(_ label: String, _ value: String) {
                let key = prefix + label + ":"
                print(key.padding(toLength: max(12, key.count + 1), withPad: " ", startingAt: 0) + value)
            }
            line("state", describe(status))
            if let pid = status.postmasterPID { line("pid", String(pid)) }
            line("data", status.dataDirectory + (status.initialised ? "" : " (not created yet)"))
            line("socket", status.socketDirectory)
            line("url", status.connectionString)
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
        @Flag(help: "The hot standby's connection string.") var standby = false
        func run() throws {
            let configuration = DBCommand.configurationFromEnvironment
            let cluster: ClusterName = standby ? .standby : .primary
            let status = LocalServer.status(configuration, cluster: cluster)
            if status.isStopped {
                let start = standby ? "lampctl db start --standby" : "lampctl db start"
                writeStandardError("lampctl: the embedded \(standby ? "standby" : "server") is not running: start it with '\(start)' to connect with this URL\n")
            }
            print(status.connectionString)
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop the server and its standby and delete their data (all lamps); with a database named, only clean up there.",
            discussion: """
                A reset is a reset of the database the command is aimed at. When one is named (--database-url, else $DATABASE_URL, else libpq's PG* variables, as for every command), only lampctl's own leftovers there are dropped: the run schemas that lampctl runs left behind. The embedded server and its data are left alone.
                """)
        @Option(name: .customLong("database-url"), help: ArgumentHelp(
            "Leave the embedded server alone; on this database, drop only the run schemas that lampctl runs left behind (default: $DATABASE_URL, else libpq's PG* variables).",
            valueName: "url"))
        var databaseURLs: [String] = []
        var databaseURL: String? { databaseURLs.last }
        func validate() throws {
            try OnceOptions.check([("--database-url", databaseURLs.count)])
        }
        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            if let (target, source) = try wrap({ try Database.named(flag: databaseURL, environment: environment) }) {
                let dropped = try wrap { try AbandonedRunSchemas.sweep(target) }
                print("reset: \(dropped.count) abandoned run schema\(dropped.count == 1 ? "" : "s") dropped "
                      + "(the database of \(source.label); the embedded server was left alone)")
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

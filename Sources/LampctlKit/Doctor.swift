import Foundation
import LampApp
import LocalServer
import Postgres
import Scenario

/// `lampctl doctor`: checks what lampctl needs and says what to fix.
public enum Doctor {
    /// One check's outcome.
    public struct Check: Sendable {
        public var ok: Bool
        public var name: String
        public var detail: String
    }

    public static func run(databaseFlag: String?, environment: [String: String]) -> [Check] {
        var checks: [Check] = [Check(ok: true, name: "libpq", detail: "version \(libpqVersion)")]
        let usesEmbedded = (databaseFlag ?? "").isEmpty && (environment["DATABASE_URL"] ?? "").isEmpty
            && ConnectionOptionCatalog.choosingVariablesSet(in: environment).isEmpty
        if usesEmbedded {
            let configuration = LocalServerConfiguration.fromEnvironment(environment)
            let status = LocalServer.status(configuration)
            checks.append(stateDirectoryCheck(configuration.home, status: status))
            checks.append(diskSpaceCheck(configuration.home))
            if getuid() == 0 {
                let hasUser = getpwnam("postgres") != nil
                checks.append(Check(ok: hasUser, name: "server user", detail: hasUser
                    ? "running as root: the embedded server runs as 'postgres'"
                    : "running as root and there is no 'postgres' user: apt-get install postgresql creates it"))
            }
        }
        let database: Database
        do {
            database = try Database(flag: databaseFlag, environment: environment)
        } catch {
            checks.append(Check(ok: false, name: usesEmbedded ? "embedded server" : "database URL", detail: LampctlError.from(error).message))
            return checks
        }
        defer { database.close() }
        if usesEmbedded, let broken = LocalServer.standbyBrokenReason(LocalServerConfiguration.fromEnvironment(environment)) {
            checks.append(Check(ok: false, name: "standby", detail: "the standby \(broken): the next replica run (or 'lampctl db start --standby') makes it again"))
        }
        let source = database.source.label
        checks.append(Check(ok: true, name: "database", detail: "\(database.connectionString.redacted) (from \(source))"))
        do {
            let connection = try database.connect()
            defer { connection.close() }
            let row = try connection.execute("""
                SELECT current_setting('server_version'), current_user, current_database(),
                       current_setting('default_transaction_isolation'),
                       has_database_privilege(current_database(), 'CREATE')
                """).rows.first ?? []
            checks.append(Check(ok: true, name: "connection", detail: "PostgreSQL \(row[0] ?? "?") as \(row[1] ?? "?") on \(row[2] ?? "?"), default isolation \(row[3] ?? "?")"))
            let canCreate = row[4] == "t"
            checks.append(Check(ok: canCreate, name: "privileges", detail: canCreate
                ? "may create schemas (lampctl's own schema and each run's private one)"
                : "no CREATE privilege on database \(row[2] ?? "?"): GRANT CREATE ON DATABASE ... TO \(row[1] ?? "?"), or use another database"))
            switch try LampSchema.comment(of: LampSchema.defaultName, on: connection) {
            case LampSchema.marker?:
                checks.append(Check(ok: true, name: "schema", detail: "\"\(LampSchema.defaultName)\" exists and is lampctl's"))
            case .some:
                checks.append(Check(ok: false, name: "schema", detail: "a schema \"\(LampSchema.defaultName)\" exists that lampctl did not create; lampctl will not touch it: use another database"))
            case nil:
                checks.append(Check(ok: true, name: "schema", detail: "\"\(LampSchema.defaultName)\" will be created on first use"))
            }
            AbandonedRunSchemas.report(try? AbandonedRunSchemas.sweep(on: connection))
            checks += try writeChecks(on: connection)
        } catch {
            checks.append(Check(ok: false, name: "connection", detail: LampctlError.from(error).message))
            if let cancelled = cancelledCheck(error, user: database.connectionString.options["user"]) { checks.append(cancelled) }
        }
        return checks
    }

    /// The home must be writable (lock files, the log, the data directory on first use), or
    /// creatable when it does not exist yet: the nearest existing parent must be writable.
    static func stateDirectoryCheck(_ home: String, status: LocalServerStatus) -> Check {
        let detail = "\(home) (data: \(status.dataDirectory)\(status.initialised ? "" : ", not created yet"))"
        let existing = DiskSpace.nearestExisting(home)
        guard access(existing, W_OK) == 0 else {
            let reason = String(cString: strerror(errno))
            return Check(ok: false, name: "state directory",
                         detail: "\(detail): cannot write \(existing) (\(reason)): set LAMPCTL_HOME to a writable directory")
        }
        return Check(ok: true, name: "state directory", detail: detail)
    }

    /// Free space where the home is: a new cluster needs about 30 MB, runs a little more.
    static func diskSpaceCheck(_ home: String) -> Check {
        guard let free = DiskSpace.availableBytes(home) else {
            return Check(ok: true, name: "disk space", detail: "free space unknown for \(home)")
        }
        let enough = free >= DiskSpace.neededForACluster
        return Check(ok: enough, name: "disk space", detail: enough
            ? "\(free >> 20) MB free for \(home)"
            : "\(free >> 20) MB free for \(home), under the \(DiskSpace.neededForACluster >> 20) MB a cluster and its runs need: free some space or set LAMPCTL_HOME on another disk")
    }
}

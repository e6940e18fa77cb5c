import Foundation
import Postgres
import Synchronization
public import Watch
#if canImport(Glibc)
import Glibc
#endif

/// `lampctl watch -- COMMAND`: runs the command with `DATABASE_URL` and libpq's `PG*` variables
/// pointing at a relay in front of the database, reads every connection through it and the
/// server's committed changes through logical decoding, then analyses what each connection
/// received against what the others committed.
public enum WatchRun {
    public struct Outcome {
        public var report: WatchReport
        /// The command's exit status (128 + N when signal N ended it).
        public var exitStatus: Int32
    }

    public static func execute(_ command: [String], database: Database) throws -> Outcome {
        let base = database.connectionString
        let admin = try Connection(base, applicationName: "lampctl watch")
        defer { admin.close() }
        guard let endpoint = admin.endpoint else { throw LampctlError("lost the connection to the database", status: .unavailable) }
        try checkServer(admin, database: database)
        let connect: @Sendable (String) throws -> Connection = { name in
            try Connection(try base.with(database: name), applicationName: "lampctl watch")
        }
        let log = WireLog()
        let catalog = TableCatalog(connect: connect)
        let commits = CommitLog(connect: connect)
        defer { catalog.close() }
        // Decoding starts before the command: its first commits are not missed.
        commits.watch(database: endpoint.database)
        let started = Date()
        while !commits.ready && Date().timeIntervalSince(started) < 30 { usleep(10_000) }
        // A slot waits for the transactions running when it is made; past 30 s the command starts anyway.
        let lateSlot = !commits.ready
        let slotWait = Date().timeIntervalSince(started)
        let upstream: Relay.Upstream = endpoint.socketPath.map { .unix(path: $0) } ?? .tcp(host: endpoint.host, port: endpoint.port)
        let relay = try Relay(upstream: upstream, log: log, catalog: catalog, onDatabase: { commits.watch(database: $0) })
        let sampler = LockSampler(log: log, connection: try Connection(base, applicationName: "lampctl watch"))
        let status: Int32
        do {
            status = try WatchedCommand.run(command, environment: environment(port: relay.port, endpoint: endpoint, base: base))
        } catch {
            relay.stop()
            _ = sampler.finish()
            _ = commits.finish()
            throw error
        }
        relay.stop()
        relay.finishLookups()
        let waits = sampler.finish()
        catalog.retryPending()
        let snapshot = WireLogSnapshot(log)
        let wroteOnTheWire = snapshot.transactions.filter { $0.end == .committed && $0.wrote }.count
        let (transactions, problems) = commits.finish(expectingChanges: wroteOnTheWire > 0)
        let findings = FindingAnalysis(log: snapshot, tables: catalog.tables, committed: transactions, waits: waits).findings()
        var notes = problems
        if wroteOnTheWire > 0 && !transactions.contains(where: { !$0.changes.isEmpty }) {
            notes.append("the wire showed \(wroteOnTheWire) committed transaction(s) that wrote rows, but logical decoding returned no row change: findings about them are missing")
        }
        if slotWait > 5 && !lateSlot {
            notes.append("decoding \(endpoint.database) took \(Int(slotWait)) s to start (its slot waited for transactions already running on the server)")
        }
        if lateSlot {
            notes.append("decoding \(endpoint.database) waited over 30 s for transactions already running on the server; the command started before it was ready, so its first commits may be missing from this report")
        }
        if relay.tlsRefusals > 0 {
            notes.append("\(relay.tlsRefusals) connection(s) hung up when the relay refused TLS: a client that requires TLS cannot be watched; use sslmode=disable or prefer for the watched run")
        }
        let report = WatchReport(command: command.joined(separator: " "), exitStatus: status, log: snapshot, findings: findings,
                                 committedTransactions: transactions.filter { !$0.changes.isEmpty }.count, notes: notes)
        return Outcome(report: report, exitStatus: status)
    }

    /// Logical decoding needs wal_level=logical and a role that may create replication slots.
    static func checkServer(_ admin: Connection, database: Database) throws {
        let settings = try admin.execute("""
            SELECT current_setting('wal_level'), (SELECT rolsuper OR rolreplication FROM pg_roles WHERE rolname = current_user)
            """).rows.first
        let walLevel = settings?[0] ?? "unknown"
        if walLevel != "logical" {
            let fix = database.source == .embedded
                ? "the embedded server was started before lampctl asked for it: stop it with 'lampctl db stop' and watch again"
                : "set it with ALTER SYSTEM SET wal_level = logical and restart the server (or watch on the embedded server: leave out the URL)"
            throw LampctlError("watch reads committed changes through logical decoding, which needs wal_level=logical; the server has \(walLevel): \(fix)",
                               status: .configuration)
        }
        if settings?[1] != "t" {
            throw LampctlError("watch reads committed changes through a logical replication slot, which needs a superuser or a role WITH REPLICATION; "
                + "\(admin.endpoint?.user ?? "this user") is neither", status: .configuration)
        }
    }

    /// The command's environment: `DATABASE_URL` and the PG* variables aimed at the relay, the
    /// user's password kept, TLS off (the relay reads the conversation in the clear).
    static func environment(port: Int, endpoint: ConnectionEndpoint, base: ConnectionString) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for variable in ["PGHOSTADDR", "PGSERVICE", "PGSERVICEFILE", "PGSSLMODE", "PGREQUIRESSL", "PGSSLNEGOTIATION", "PGGSSENCMODE"] {
            environment[variable] = nil
        }
        environment["PGHOST"] = "127.0.0.1"
        environment["PGPORT"] = String(port)
        environment["PGUSER"] = endpoint.user
        environment["PGDATABASE"] = endpoint.database
        environment["PGSSLMODE"] = "disable"
        var credentials = URLComponent.encode(endpoint.user)
        if let password = base.options["password"] {
            environment["PGPASSWORD"] = password
            credentials += ":" + URLComponent.encode(password)
        }
        environment["DATABASE_URL"] = "postgresql://\(credentials)@127.0.0.1:\(port)/\(URLComponent.encode(endpoint.database))"
        return environment
    }
}

/// Percent-encoding for the user, password and database of a URL.
enum URLComponent {
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}

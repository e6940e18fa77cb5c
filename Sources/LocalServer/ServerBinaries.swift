import Foundation
import Glibc
import Synchronization

/// The PostgreSQL server programs (`initdb`, `postgres`, `pg_basebackup`), found without help from PATH.
struct ServerBinaries: Sendable, Equatable {
    let directory: String
    var initdb: String { directory + "/initdb" }
    var postgres: String { directory + "/postgres" }
    var pgBasebackup: String { directory + "/pg_basebackup" }
    var psql: String { directory + "/psql" }

    static let installHint = "install the PostgreSQL server (apt-get install postgresql) or set LAMPCTL_PG_BINDIR"

    /// `locate(override:)` with the default candidates, found once per process and override:
    /// Debian's `pg_config` is a shell script (30–45 ms a call here), and one standby set-up
    /// used to ask three times. A failure is not kept.
    static func located(override: String?) throws -> ServerBinaries {
        try found.withLock { found in
            if let binaries = found[override ?? ""] { return binaries }
            let binaries = try locate(override: override)
            found[override ?? ""] = binaries
            return binaries
        }
    }

    private static let found = Mutex<[String: ServerBinaries]>([:])

    /// `override` (LAMPCTL_PG_BINDIR), then `pg_config --bindir`, then the highest
    /// `<versionRoot>/N/bin`.
    static func locate(
        override: String?,
        pgConfigCandidates: [String] = ServerBinaries.pgConfigCandidates(),
        versionRoot: String = "/usr/lib/postgresql"
    ) throws -> ServerBinaries {
        if let override {
            guard hasServer(override) else {
                throw LocalServerError(
                    "LAMPCTL_PG_BINDIR=\(override) has no initdb and postgres: \(installHint)")
            }
            return ServerBinaries(directory: override)
        }
        for pgConfig in pgConfigCandidates where access(pgConfig, X_OK) == 0 {
            if let result = try? Spawn.capture(pgConfig, ["--bindir"]), result.code == 0 {
                let directory = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
                if hasServer(directory) { return ServerBinaries(directory: directory) }
            }
            break
        }
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: versionRoot)) ?? [])
            .compactMap { Int($0) }
            .sorted(by: >)
        for version in versions where hasServer("\(versionRoot)/\(version)/bin") {
            return ServerBinaries(directory: "\(versionRoot)/\(version)/bin")
        }
        throw LocalServerError("PostgreSQL server programs (initdb, postgres) not found: \(installHint)")
    }

    /// `pg_config` on PATH, then `/usr/bin/pg_config`.
    static func pgConfigCandidates(_ path: String = ProcessInfo.processInfo.environment["PATH"] ?? "") -> [String] {
        var candidates = path.split(separator: ":").map { "\($0)/pg_config" }.filter { $0.hasPrefix("/") }
        candidates.append("/usr/bin/pg_config")
        return candidates
    }

    private static func hasServer(_ directory: String) -> Bool {
        access(directory + "/initdb", X_OK) == 0 && access(directory + "/postgres", X_OK) == 0
    }
}

import Foundation
import Glibc

/// `LAMPCTL_INITDB_TEMPLATE`: a new cluster copied from a data directory that lampctl's initdb
/// made (same settings: trust, user postgres, UTF8, C locale, 1 MB WAL segments) and that no
/// server runs on. A copy costs a fraction of initdb's CPU, which matters to a test suite that
/// makes dozens of homes; `initdb.log` records the copy as that cluster's initdb section.
/// Copies share the template's `system_identifier`, so lampctl's check that a standby replicates
/// from its primary cannot tell two copies apart: a template is for throwaway test homes.
enum InitdbTemplate {
    static func copy(_ template: String, to target: String, _ context: ServerContext) throws {
        guard access(template + "/PG_VERSION", F_OK) == 0 else {
            throw LocalServerError("LAMPCTL_INITDB_TEMPLATE=\(template) is not a PostgreSQL data directory (no PG_VERSION)")
        }
        guard access(template + "/postmaster.pid", F_OK) != 0 else {
            throw LocalServerError("LAMPCTL_INITDB_TEMPLATE=\(template) has a server running on it (postmaster.pid): copy a stopped one")
        }
        let paths = context.paths
        let header = "== lampctl: initdb of \(paths.dataDirectory) at \(Date()): copied from LAMPCTL_INITDB_TEMPLATE=\(template)\n"
        paths.appendToInitdbLog(header)
        // As the server account, so the copy belongs to it (and the template is readable by it).
        let (program, arguments) = try context.account.command("/bin/cp", ["-a", "--", template + "/.", target])
        let code = try Spawn.runLogged(program, arguments, log: paths.initdbLog)
        guard code == 0 else {
            let reason = paths.lastLogError(paths.initdbLog).map { ": \($0)" } ?? ""
            throw LocalServerError("copying LAMPCTL_INITDB_TEMPLATE=\(template) failed with status \(code) (log \(paths.initdbLog))\(reason)")
        }
    }
}

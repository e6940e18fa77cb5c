import Foundation
@testable import LocalServer

/// The data directory the tests' new homes copy instead of running initdb
/// (`LAMPCTL_INITDB_TEMPLATE`): made once per machine and server version by lampctl's own initdb,
/// in `/tmp/lampctl-initdb-template-<uid>-<hash of the server programs' directory>`, and never
/// started. Dozens of tests make a home of their own; initdb was a quarter of make test's CPU.
/// Tests about initdb itself remove the variable.
public enum InitdbTemplateHome {
    private static let made: Result<String, LocalServerError> = {
        do {
            let binaries = try ServerBinaries.located(override: nil)
            let key = String(UInt32(truncatingIfNeeded: binaries.directory.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }), radix: 16)
            let home = "\(TestScratch.directory)/lampctl-initdb-template-\(getuid())-\(key)"
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            let context = try ServerContext(LocalServerConfiguration(home: home, binDir: binaries.directory))
            try context.paths.prepareHome(for: context.account)
            let start = try context.lock(context.paths.startLock, .exclusive, holder: "another test process making the initdb template")
            defer { start.close() }
            try Cluster.ensureInitialised(context, binaries)
            return .success(context.paths.dataDirectory)
        } catch let error as LocalServerError {
            return .failure(error)
        } catch {
            return .failure(LocalServerError("\(error)"))
        }
    }()

    /// The template's data directory (made on first use).
    public static func dataDirectory() throws -> String { try made.get() }
}

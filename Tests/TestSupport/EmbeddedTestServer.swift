import Foundation
import LocalServer
import Synchronization

/// The server for this test process when `LAMPCTL_TEST_DATABASE_URL` is not set: lampctl's own
/// embedded PostgreSQL, with a home shared by test runs (`LAMPCTL_TEST_HOME`, default
/// `/tmp/lampctl-test-<uid>`, so initdb happens once per machine), held by a lease for the life
/// of the test process. When the process exits, the lease ends and the server stops.
final class EmbeddedTestServer: Sendable {
    static let shared = EmbeddedTestServer()

    private let state = Mutex<Result<LocalServerLease, LocalServerError>?>(nil)

    /// The directory the test server lives in.
    static var home: String {
        if let home = ProcessInfo.processInfo.environment["LAMPCTL_TEST_HOME"], !home.isEmpty { return home }
        return "\(TestScratch.directory)/lampctl-test-\(getuid())"
    }

    func url() throws -> String {
        try state.withLock { state in
            if state == nil {
                var configuration = LocalServerConfiguration(home: Self.home, executable: LampctlProcess.binary)
                configuration.initdbTemplate = try? InitdbTemplateHome.dataDirectory()
                do {
                    state = .success(try LocalServer.acquire(configuration))
                } catch let error as LocalServerError {
                    state = .failure(error)
                } catch {
                    state = .failure(LocalServerError("\(error)"))
                }
            }
            return try state!.get().connectionString
        }
    }
}

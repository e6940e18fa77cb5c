import Foundation

/// A server for this test process when no URL is given (filled in once LocalServer exists).
final class EmbeddedTestServer: Sendable {
    static let shared = EmbeddedTestServer()

    func url() throws -> String {
        struct NoServer: Error, CustomStringConvertible {
            var description: String { "set LAMPCTL_TEST_DATABASE_URL (make test does)" }
        }
        throw NoServer()
    }
}

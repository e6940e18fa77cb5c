public import Foundation

/// Golden files in `Fixtures/`: compare, or rewrite when `LAMPCTL_UPDATE_FIXTURES=1`.
public enum Fixtures {
    /// The repository's Fixtures directory (found from this source file's path).
    public static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    public static func url(_ relativePath: String) -> URL {
        directory.appendingPathComponent(relativePath)
    }

    public static var updating: Bool { ProcessInfo.processInfo.environment["LAMPCTL_UPDATE_FIXTURES"] == "1" }

    /// The expected text, or nil when missing. In update mode, writes `actual` and returns it.
    public static func expected(_ relativePath: String, actual: String) throws -> String? {
        let file = url(relativePath)
        if updating {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: file, atomically: true, encoding: .utf8)
            return actual
        }
        return try? String(contentsOf: file, encoding: .utf8)
    }
}

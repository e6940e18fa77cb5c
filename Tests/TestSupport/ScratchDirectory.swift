import Foundation

/// A directory of one test's own under /tmp, removed when the value goes.
public final class ScratchDirectory {
    public let path: String

    /// `/tmp/lampctl-<prefix>-<pid>-<random>`.
    public init(_ prefix: String) throws {
        path = "/tmp/lampctl-\(prefix)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` inside it.
    public func at(_ name: String) -> String { path + "/" + name }

    /// Everything in the directory (hidden files included), sorted.
    public var entries: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
}

import Glibc

/// Free space on the file system that holds a path (`statvfs`), for messages and `doctor`.
public enum DiskSpace {
    /// Bytes available to an unprivileged user on the file system of `path` (or of its nearest
    /// existing parent); nil when it cannot be asked.
    public static func availableBytes(_ path: String) -> UInt64? {
        let existing = nearestExisting(path)
        var info = statvfs()
        guard statvfs(existing, &info) == 0 else { return nil }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }

    /// `path`, or its nearest parent that exists (where a directory not made yet would go).
    public static func nearestExisting(_ path: String) -> String {
        var existing = path
        while access(existing, F_OK) != 0, existing.contains("/"), existing != "/" {
            existing = String(existing[..<(existing.lastIndex(of: "/") ?? existing.startIndex)])
            if existing.isEmpty { existing = "/" }
        }
        return existing
    }

    /// `12 MB free`, or `free space unknown`.
    public static func freeDescription(_ path: String) -> String {
        availableBytes(path).map { "\($0 >> 20) MB free" } ?? "free space unknown"
    }

    /// What a new embedded cluster needs, with room to run scenarios (an initdb'd cluster is
    /// about 30 MB with lampctl's 1 MB WAL segments).
    public static let neededForACluster: UInt64 = 64 << 20
}

import Foundation
import Glibc

/// The files of one cluster in a lampctl home. The primary's live at the home's top level (the
/// layout of lampctl's first versions, so an existing home keeps working untouched); any other
/// cluster's under `<home>/clusters/<name>/`:
///
///     <base>/data              the cluster (owned by the server user), with `lampctl-cluster` marker
///     <base>/run               the socket directory, 0700 (or /tmp/lampctl-<uid>-<hash> if too long)
///     <base>/clients.lock      shared flock per running client
///     <base>/start.lock        exclusive flock while starting, stopping or initialising
///     <base>/supervisor.lock   exclusive flock held by the live supervisor
///     <base>/supervisor.state  the live supervisor's pid, postmaster pid, mode and phase
///     <base>/server.log        supervisor and postmaster log
public struct StateDirectory: Sendable {
    /// The lampctl home (`LAMPCTL_HOME`), absolute.
    public let home: String
    /// Which cluster of the home these are the files of.
    public let cluster: ClusterName

    /// `home` made absolute and normalised (the supervisor runs in `/`).
    public init(home: String, cluster: ClusterName = .primary) {
        var path = home
        if !path.hasPrefix("/") { path = FileManager.default.currentDirectoryPath + "/" + path }
        self.home = URL(fileURLWithPath: path).standardizedFileURL.path
        self.cluster = cluster
    }

    /// The directory holding this cluster's files: the home for the primary.
    var base: String { cluster == .primary ? home : home + "/clusters/" + cluster.name }
    var dataDirectory: String { base + "/data" }
    var clientsLock: String { base + "/clients.lock" }
    var startLock: String { base + "/start.lock" }
    var supervisorLock: String { base + "/supervisor.lock" }
    var stateFile: String { base + "/supervisor.state" }
    var logFile: String { base + "/server.log" }
    var initdbLog: String { base + "/initdb.log" }

    /// The clusters of this home that exist (initialised), `primary` always included.
    public var clusters: [ClusterName] {
        ClusterName.known.filter { $0 == .primary || Cluster.isInitialised(StateDirectory(home: home, cluster: $0)) }
    }

    /// The connection string of `cluster` in this home.
    public func connectionString(of cluster: ClusterName) -> String {
        StateDirectory(home: home, cluster: cluster).connectionString
    }

    /// Written into a data directory lampctl created; nothing without it is ever deleted.
    static let clusterMarker = "lampctl-cluster"
    /// Written into lampctl's temporary initdb directories.
    static let temporaryMarker = "lampctl-temp"
    static let temporaryPrefix = ".initdb-"
    var port: Int { cluster.port }

    var clusterMarker: String { dataDirectory + "/" + Self.clusterMarker }

    /// `<base>/run`, unless its socket path would pass the ~107-byte limit of a unix socket
    /// path, or it holds a comma (libpq reads `host=a,b` as two hosts, with no escape): then
    /// `/tmp/lampctl-<uid>-<hash of home and cluster>` (private, 0700, like `run`).
    var socketDirectory: String {
        let preferred = base + "/run"
        if (preferred + "/.s.PGSQL.\(port)").utf8.count <= 100, !preferred.contains(",") { return preferred }
        let key = cluster == .primary ? home : home + "\u{0}" + cluster.name
        return "/tmp/lampctl-\(getuid())-\(Self.shortHash(key))"
    }

    /// `postgresql://postgres@/postgres?host=<socket directory, percent-encoded>&port=<port>`
    /// (explicit port, so PGPORT cannot move it; encoded, so any home path works in a URL).
    var connectionString: String {
        "postgresql://postgres@/postgres?host=\(Self.percentEncoded(socketDirectory))&port=\(port)"
    }

    /// `text` with every byte but unreserved URL characters and `/` as `%XX`.
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, Character(scalar).isLetter || Character(scalar).isNumber || "-._~/".unicodeScalars.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }

    /// 8 hex digits of FNV-1a.
    static func shortHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let folded = UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
        let hex = String(folded, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// Creates the home (0755 when root, so the server user can reach the data directory;
    /// 0700 otherwise) and checks the server user can traverse every directory on the way.
    func prepareHome(for account: ServerAccount) throws {
        if let blocked = account.firstUntraversable(home) {
            throw LocalServerError(
                "the server runs as user \(account.name), which cannot enter \(blocked): set LAMPCTL_HOME to a directory it can reach (e.g. /var/lib/lampctl)")
        }
        let mode: mode_t = account.switchesUser ? 0o755 : 0o700
        try Self.makeDirectories(home, mode: mode)
        if base != home { try Self.makeDirectories(base, mode: mode) }
        if let blocked = account.firstUntraversable(home) {
            throw LocalServerError(
                "the server runs as user \(account.name), which cannot enter \(blocked): set LAMPCTL_HOME to a directory it can reach (e.g. /var/lib/lampctl)")
        }
    }

    /// Appends `line` to initdb.log, which keeps one section per cluster made (initdb or a copy).
    func appendToInitdbLog(_ line: String) {
        let log = open(initdbLog, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard log >= 0 else { return }
        _ = line.withCString { write(log, $0, strlen($0)) }
        close(log)
    }

    /// After a reset: the private `/tmp/lampctl-<uid>-<hash>` socket directory of a home whose
    /// own `run` could not hold the socket, once no server uses it (it is empty, or holds only
    /// stale lock files of a stopped server); `<base>/run` stays with the home.
    func removeFallbackSocketDirectory() {
        let path = socketDirectory
        guard path != base + "/run", path.hasPrefix("/tmp/lampctl-\(getuid())-") else { return }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        guard names.allSatisfy({ $0.hasPrefix(".s.PGSQL.") && $0.hasSuffix(".lock") }) else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Creates the socket directory if needed and makes sure it is a real directory, owned by
    /// the server user, mode 0700.
    func prepareSocketDirectory(for account: ServerAccount) throws {
        let path = socketDirectory
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw LocalServerError.system("cannot create socket directory \(path)")
        }
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw LocalServerError("socket directory \(path) is not a directory: remove it or set LAMPCTL_HOME elsewhere")
        }
        if info.st_uid != account.uid {
            guard info.st_uid == geteuid() || geteuid() == 0 else {
                throw LocalServerError("socket directory \(path) belongs to another user: remove it or set LAMPCTL_HOME elsewhere")
            }
            try account.own(path)
        }
        if info.st_mode & 0o777 != 0o700 && chmod(path, 0o700) != 0 {
            throw LocalServerError.system("cannot chmod socket directory \(path)")
        }
        if let blocked = account.firstUntraversable(path) {
            throw LocalServerError(
                "the server runs as user \(account.name), which cannot enter \(blocked): set LAMPCTL_HOME elsewhere")
        }
    }

    /// `mkdir -p`; directories created here get `mode`.
    static func makeDirectories(_ path: String, mode: mode_t) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw LocalServerError("\(path) is not a directory: set LAMPCTL_HOME elsewhere")
            }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if parent != path && !parent.isEmpty { try makeDirectories(parent, mode: mode) }
        if mkdir(path, mode) != 0 && errno != EEXIST {
            throw LocalServerError.system("cannot create \(path) (set LAMPCTL_HOME elsewhere)")
        }
        _ = chmod(path, mode)  // umask may have narrowed it
    }

    /// Renames a big log aside so it does not grow forever.
    func rotateLog(limit: Int = 4 << 20) {
        var info = stat()
        if stat(logFile, &info) == 0 && Int(info.st_size) > limit {
            _ = rename(logFile, logFile + ".1")
        }
    }

    /// The last line of the server log that looks like an error, for one-line messages; when
    /// the log says the disk is full, that instead, with the free space left (a full disk shows
    /// as a PANIC about a WAL file, after the line that names the cause).
    func lastLogError(_ path: String? = nil) -> String? {
        guard let text = try? String(contentsOfFile: path ?? logFile, encoding: .utf8) else { return nil }
        if text.contains("No space left on device") || text.contains("could not extend file") {
            return "the disk of \(home) is full (\(DiskSpace.freeDescription(home))): free some space or set LAMPCTL_HOME on another disk"
        }
        let lines = text.split(separator: "\n").suffix(40)
        let errors = lines.filter { $0.contains("FATAL") || $0.contains("ERROR") || $0.contains("PANIC") || $0.contains("error") }
        return (errors.last ?? lines.last).map { String($0).trimmingCharacters(in: .whitespaces) }
    }
}

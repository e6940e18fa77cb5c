import Foundation
import Glibc

/// The data directory: created once with initdb, in a temporary directory renamed into place,
/// so a crash never leaves a half-made cluster. Callers hold `start.lock`.
enum Cluster {
    static func isInitialised(_ paths: StateDirectory) -> Bool {
        access(paths.dataDirectory + "/PG_VERSION", F_OK) == 0 && access(paths.clusterMarker, F_OK) == 0
    }

    static func ensureInitialised(_ context: ServerContext, _ binaries: ServerBinaries) throws {
        try create(context, marker: "created by lampctl\n", what: "cluster") { target in
            let paths = context.paths
            if let template = context.configuration.initdbTemplate {
                try InitdbTemplate.copy(template, to: target, context)
                return
            }
            let (program, arguments) = try context.account.command(binaries.initdb, [
                "-D", target, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C",
                "--no-sync", "--no-instructions", "--wal-segsize=1",
            ])
            // initdb.log keeps one section per run (there is one run per cluster).
            let header = "== lampctl: initdb of \(paths.dataDirectory) at \(Date())\n"
            paths.appendToInitdbLog(header)
            let code = try Spawn.runLogged(program, arguments, log: paths.initdbLog)
            guard code == 0 else {
                let reason = paths.lastLogError(paths.initdbLog).map { ": \($0)" } ?? ""
                throw LocalServerError("initdb failed with status \(code) (log \(paths.initdbLog))\(reason)")
            }
        }
    }

    /// Makes the context's data directory once: `populate` fills `<temporary>/data` (owned by the
    /// server account), which then gets lampctl's marker (text `marker`) and is renamed into
    /// place; a failure or crash leaves only a temporary, which the next attempt removes.
    static func create(_ context: ServerContext, marker: String, what: String,
                       populate: (_ target: String) throws -> Void) throws {
        let paths = context.paths
        if isInitialised(paths) { return }
        if access(paths.dataDirectory, F_OK) == 0 {
            throw LocalServerError(
                "\(paths.dataDirectory) exists but was not created by lampctl: remove it or set LAMPCTL_HOME elsewhere")
        }
        removeTemporaries(paths)

        var template = Array((paths.base + "/" + StateDirectory.temporaryPrefix + "XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw LocalServerError.system("cannot create a directory in \(paths.base)")
        }
        let temporary = String(cString: made)
        var succeeded = false
        defer { if !succeeded { try? FileManager.default.removeItem(atPath: temporary) } }
        guard FileManager.default.createFile(atPath: temporary + "/" + StateDirectory.temporaryMarker, contents: Data()),
              chmod(temporary, 0o755) == 0 else {
            throw LocalServerError.system("cannot prepare \(temporary)")
        }
        let target = temporary + "/data"
        guard mkdir(target, 0o700) == 0 else { throw LocalServerError.system("cannot create \(target)") }
        try context.account.own(target)

        try populate(target)

        let markerFile = target + "/" + StateDirectory.clusterMarker
        guard FileManager.default.createFile(atPath: markerFile, contents: Data(marker.utf8)) else {
            throw LocalServerError.system("cannot write \(markerFile)")
        }
        try context.account.own(markerFile)
        guard rename(target, paths.dataDirectory) == 0 else {
            throw LocalServerError.system("cannot move the new \(what) to \(paths.dataDirectory)")
        }
        succeeded = true
        try? FileManager.default.removeItem(atPath: temporary)
    }

    /// Deletes the data directory, only if lampctl made it (it carries the marker).
    static func remove(_ paths: StateDirectory) throws {
        removeTemporaries(paths)
        guard access(paths.dataDirectory, F_OK) == 0 else { return }
        guard access(paths.clusterMarker, F_OK) == 0 else {
            throw LocalServerError(
                "refusing to delete \(paths.dataDirectory): it was not created by lampctl (no \(StateDirectory.clusterMarker) file)")
        }
        // Rename first so a crash midway leaves a temporary, not a broken cluster.
        let doomed = paths.base + "/" + StateDirectory.temporaryPrefix + "reset-\(getpid())"
        guard rename(paths.dataDirectory, doomed) == 0 else {
            throw LocalServerError.system("cannot remove \(paths.dataDirectory)")
        }
        _ = FileManager.default.createFile(atPath: doomed + "/" + StateDirectory.temporaryMarker, contents: Data())
        try? FileManager.default.removeItem(atPath: doomed)
    }

    /// Leftovers of an interrupted initdb or reset: `<base>/.initdb-*` holding lampctl's marker.
    static func removeTemporaries(_ paths: StateDirectory) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: paths.base)) ?? []
        for name in names where name.hasPrefix(StateDirectory.temporaryPrefix) {
            let path = paths.base + "/" + name
            if access(path + "/" + StateDirectory.temporaryMarker, F_OK) == 0 {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }
}

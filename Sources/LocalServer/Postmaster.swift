import Foundation
import Glibc

/// The PostgreSQL postmaster of one data directory: how to start it, whether one is running,
/// how to stop it.
enum Postmaster {
    /// Settings for a scratch server: unix socket only, no durability, small memory.
    static func arguments(dataDirectory: String, socketDirectory: String, port: Int) -> [String] {
        [
            "-D", dataDirectory,
            "-k", quotedDirectory(socketDirectory),
            "-p", String(port),
            "-c", "listen_addresses=",
            "-c", "fsync=off",
            "-c", "synchronous_commit=off",
            // The embedded standby is synchronous by name, but only a session that sets
            // synchronous_commit=remote_apply (or on) waits for it: the server default is off.
            "-c", "synchronous_standby_names=\(StandbyCluster.applicationName)",
            "-c", "full_page_writes=off",
            "-c", "shared_buffers=16MB",
            // The standby's replication slot keeps WAL for it, but never more than this.
            "-c", "max_slot_wal_keep_size=\(StandbySlot.maximumKeptWAL)",
            // `lampctl watch` reads committed row changes through logical decoding (test_decoding).
            "-c", "wal_level=logical",
        ]
    }

    /// `unix_socket_directories` is a comma-separated list: quote the one directory (doubling
    /// any `"`) so a home with commas or surrounding spaces still names one directory.
    static func quotedDirectory(_ path: String) -> String {
        "\"" + path.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The lines of `postmaster.pid`, or nil when absent.
    static func pidFile(_ dataDirectory: String) -> [String]? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8) else { return nil }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// True once `postmaster.pid` names `pid` and its status line (8) says `ready`.
    static func isReady(_ dataDirectory: String, pid: pid_t) -> Bool {
        guard let lines = pidFile(dataDirectory), lines.count >= 8 else { return false }
        return Int32(lines[0].trimmingCharacters(in: .whitespaces)) == pid
            && lines[7].trimmingCharacters(in: .whitespaces) == "ready"
    }

    /// A live postmaster of `dataDirectory` found through `postmaster.pid`; nil when the file is
    /// absent or stale (its pid dead, or not that data directory's postmaster).
    static func running(_ dataDirectory: String) -> pid_t? {
        guard let lines = pidFile(dataDirectory), let first = lines.first,
              let pid = Int32(first.trimmingCharacters(in: .whitespaces)), pid > 0 else { return nil }
        return isPostmaster(pid, of: dataDirectory) ? pid : nil
    }

    /// `/proc/<pid>` is a live (not zombie) `postgres` postmaster whose `-D` or working
    /// directory is `dataDirectory`. A backend the postmaster has just forked carries the same
    /// command line until it sets its process title: it is told apart by its parent.
    static func isPostmaster(_ pid: pid_t, of dataDirectory: String) -> Bool {
        guard looksLikePostmaster(pid, of: dataDirectory) else { return false }
        if let parent = parentPID(of: pid), parent > 1, looksLikePostmaster(parent, of: dataDirectory) { return false }
        return true
    }

    /// The parent's pid, from `/proc/<pid>/stat`.
    static func parentPID(of pid: pid_t) -> pid_t? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) : nil
    }

    private static func looksLikePostmaster(_ pid: pid_t, of dataDirectory: String) -> Bool {
        guard isAlive(pid),
              let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let argv = raw.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard let program = argv.first, (program as NSString).lastPathComponent == "postgres" else { return false }
        let wanted = canonical(dataDirectory)
        if let index = argv.firstIndex(of: "-D"), index + 1 < argv.count, canonical(argv[index + 1]) == wanted {
            return true
        }
        if let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd") {
            return canonical(cwd) == wanted
        }
        return false
    }

    /// The process exists and is not a zombie.
    static func isAlive(_ pid: pid_t) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// Stops a postmaster that is not our child (see `StopEscalation`); returns when it is gone.
    static func stopForeign(_ pid: pid_t, dataDirectory: String, notice: WaitNotice? = nil) throws {
        let outcome = StopEscalation.run(pid, isGone: { !isPostmaster(pid, of: dataDirectory) },
                                         pause: { notice?.tick(); MonotonicClock.sleep($0) })
        switch outcome {
        case .stopped: return
        case let .cannotSignal(code):
            throw LocalServerError.system("cannot stop the PostgreSQL server (pid \(pid)) of \(dataDirectory)", code)
        case .stillRunning:
            throw LocalServerError("the PostgreSQL server (pid \(pid)) of \(dataDirectory) does not stop: kill it by hand")
        }
    }

    private static func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

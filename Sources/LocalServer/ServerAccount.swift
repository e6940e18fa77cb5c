import Foundation
import Glibc

/// The operating-system user the server runs as: the caller, or `postgres` when the caller is
/// root (PostgreSQL refuses to run as root).
struct ServerAccount: Sendable {
    let name: String
    let uid: uid_t
    let gid: gid_t
    let groups: [gid_t]
    /// The caller is root: server programs run through `setpriv` as this user.
    let switchesUser: Bool

    static let setprivCandidates = ["/usr/bin/setpriv", "/bin/setpriv"]

    static func resolve() throws -> ServerAccount {
        if geteuid() == 0 {
            guard let account = lookup("postgres") else {
                throw LocalServerError(
                    "running as root needs a 'postgres' system user to run the server as: "
                        + "install postgresql (apt-get install postgresql), or run lampctl as a normal user")
            }
            return account
        }
        let name = lookupName(getuid()) ?? "uid\(getuid())"
        return ServerAccount(name: name, uid: getuid(), gid: getgid(), groups: [], switchesUser: false)
    }

    private static func lookup(_ name: String) -> ServerAccount? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, entry.pw_gid, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(name, entry.pw_gid, &groups, &count)
        }
        return ServerAccount(name: name, uid: entry.pw_uid, gid: entry.pw_gid,
                             groups: Array(groups.prefix(Int(max(count, 0)))), switchesUser: true)
    }

    private static func lookupName(_ uid: uid_t) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return String(cString: entry.pw_name)
    }

    /// The program and arguments that run `program arguments` as this account:
    /// through `setpriv` when switching user; `parentDeathSignal` asks the kernel to send that
    /// signal to the program when the spawning thread dies.
    func command(_ program: String, _ arguments: [String], parentDeathSignal: String? = nil) throws -> (String, [String]) {
        let setpriv = Self.setprivCandidates.first { access($0, X_OK) == 0 }
        guard switchesUser || parentDeathSignal != nil else { return (program, arguments) }
        guard let setpriv else {
            if !switchesUser { return (program, arguments) }
            throw LocalServerError("setpriv not found, needed to run the server as user \(name) when root: apt-get install util-linux")
        }
        var prefix: [String] = []
        if switchesUser { prefix += ["--reuid=\(uid)", "--regid=\(gid)", "--init-groups"] }
        if let parentDeathSignal { prefix += ["--pdeathsig", parentDeathSignal] }
        return (setpriv, prefix + ["--", program] + arguments)
    }

    /// The first directory on the way to `path` (inclusive) that this account cannot search, if any.
    func firstUntraversable(_ path: String) -> String? {
        guard switchesUser else { return nil }
        var prefix = ""
        for component in ["/"] + path.split(separator: "/").map(String.init) {
            prefix = component == "/" ? "/" : (prefix == "/" ? "/" + component : prefix + "/" + component)
            var info = stat()
            guard stat(prefix, &info) == 0 else { return nil }  // does not exist yet: created by us
            if !canSearch(info) { return prefix }
        }
        return nil
    }

    private func canSearch(_ info: stat) -> Bool {
        let mode = info.st_mode
        if info.st_uid == uid { return mode & S_IXUSR != 0 }
        if info.st_gid == gid || groups.contains(info.st_gid) { return mode & S_IXGRP != 0 }
        return mode & S_IXOTH != 0
    }

    /// Makes `path` owned by this account (no-op unless switching user).
    func own(_ path: String) throws {
        guard switchesUser else { return }
        if chown(path, uid, gid) != 0 { throw LocalServerError.system("cannot chown \(path) to \(name)") }
    }
}

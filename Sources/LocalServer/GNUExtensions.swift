import Foundation
import Glibc

/// glibc functions Swift's Glibc module does not import (they need _GNU_SOURCE), looked up
/// at run time so the target needs no C shim.
enum GNU {
    /// `POSIX_SPAWN_SETSID` (glibc 2.26+): the child starts a new session.
    static let spawnSetSID: Int32 = 0x80

    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let pointer = dlsym(handle, name) else { return nil }
        return unsafeBitCast(pointer, to: type)
    }

    /// `pipe2(fds, O_CLOEXEC)`: no other thread's child can inherit the pipe.
    static func cloexecPipe(_ fds: inout [Int32]) -> Int32 {
        guard let pipe2 = symbol("pipe2", as: Pipe2.self) else {
            let result = pipe(&fds)
            if result == 0 { fds.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) } }
            return result
        }
        return fds.withUnsafeMutableBufferPointer { pipe2($0.baseAddress!, O_CLOEXEC) }
    }

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+); false when unavailable.
    static func addChdir(_ actions: inout posix_spawn_file_actions_t, _ path: String) -> Bool {
        guard let addChdir = symbol("posix_spawn_file_actions_addchdir_np", as: AddChdir.self) else { return false }
        return addChdir(&actions, path) == 0
    }

    /// Closes every descriptor from `lowest` up in the child: `posix_spawn_file_actions_addclosefrom_np`
    /// (glibc 2.34+), else one `addclose` per descriptor open now. Keeps descriptors that are
    /// not close-on-exec (some libraries' bookkeeping sockets) from leaking into the server.
    static func addCloseFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) {
        if let addCloseFrom = symbol("posix_spawn_file_actions_addclosefrom_np", as: AddCloseFrom.self) {
            _ = addCloseFrom(&actions, lowest)
            return
        }
        let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
        for fd in open where fd >= lowest { posix_spawn_file_actions_addclose(&actions, fd) }
    }
}

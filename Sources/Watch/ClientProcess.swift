import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The local process at the other end of a TCP connection to the relay: the socket's inode from
/// /proc/net/tcp (the row whose local port is the client's and whose remote port is the relay's),
/// then the process holding a descriptor on that socket. Linux only; nil when not found (the
/// client is on another machine, or gone). Best effort, beside the conversation.
enum ClientProcess {
    static func pid(clientPort: Int, relayPort: Int) -> Int32? {
        guard let inode = socketInode(clientPort: clientPort, relayPort: relayPort) else { return nil }
        let target = "socket:[\(inode)]"
        for pid in entries("/proc").compactMap(Int32.init) {
            let directory = "/proc/\(pid)/fd"
            for descriptor in entries(directory) where link("\(directory)/\(descriptor)") == target {
                return pid
            }
        }
        return nil
    }

    /// `sl local_address rem_address st ... uid timeout inode`: ports are hexadecimal after `:`.
    static func socketInode(clientPort: Int, relayPort: Int) -> String? {
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = readAll(table) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 9,
                      let local = fields[1].split(separator: ":").last.flatMap({ Int($0, radix: 16) }),
                      let remote = fields[2].split(separator: ":").last.flatMap({ Int($0, radix: 16) }),
                      local == clientPort, remote == relayPort, fields[9] != "0" else { continue }
                return String(fields[9])
            }
        }
        return nil
    }

    /// A /proc file's text (its size reads as 0: read until the end).
    static func readAll(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func entries(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private static func link(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = readlink(path, &buffer, buffer.count)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL on 127.0.0.1 with password (SCRAM) authentication, for tests that must
/// prove a password never leaks. Runs as the `postgres` user when the tests run as root.
public final class PasswordServer: @unchecked Sendable {
    public let port: UInt16
    public let password: String
    public let directory: String
    private let process = Process()

    /// postgresql://postgres:<password>@127.0.0.1:<port>/postgres
    public var url: String { "postgresql://postgres:\(password)@127.0.0.1:\(port)/postgres" }

    public struct Failure: Error, CustomStringConvertible { public var description: String }

    /// `settings` are extra `name=value` server settings (e.g. `max_connections=8`).
    public init(password: String, settings: [String] = []) throws {
        self.password = password
        let bin = try Self.binDirectory()
        directory = "/tmp/lampctl-pwserver-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try (password + "\n").write(toFile: directory + "/pw", atomically: true, encoding: .utf8)
        port = try Self.freePort()
        if getuid() == 0 {
            _ = try Self.run("/bin/chown", ["-R", "postgres:postgres", directory])
        }
        try Self.runAsServerUser(bin + "/initdb", ["-D", directory + "/data", "-U", "postgres", "--pwfile=" + directory + "/pw",
                                                  "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C",
                                                  "--no-sync", "--no-instructions"])
        let arguments = ["-D", directory + "/data", "-k", directory, "-c", "listen_addresses=127.0.0.1", "-p", String(port),
                         "-c", "fsync=off", "-c", "shared_buffers=16MB"] + settings.flatMap { ["-c", $0] }
        if getuid() == 0 {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", bin + "/postgres"] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: bin + "/postgres")
            process.arguments = arguments
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while true {
            let pidFile = (try? String(contentsOfFile: directory + "/data/postmaster.pid", encoding: .utf8)) ?? ""
            let lines = pidFile.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.count > 7, lines[7].trimmingCharacters(in: .whitespaces) == "ready" { break }
            guard Date() < deadline, process.isRunning else { stop(); throw Failure(description: "password server did not start") }
            usleep(5_000)
        }
    }

    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }

    static func binDirectory() throws -> String {
        let candidates = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?
            .compactMap(Int.init).sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" } ?? []
        guard let bin = candidates.first(where: { FileManager.default.fileExists(atPath: $0 + "/initdb") }) else {
            throw Failure(description: "no PostgreSQL server binaries under /usr/lib/postgresql")
        }
        return bin
    }

    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard result == 0 else { throw Failure(description: "no free port") }
        return UInt16(bigEndian: address.sin_port)
    }

    static func runAsServerUser(_ tool: String, _ arguments: [String]) throws {
        if getuid() == 0 {
            _ = try run("/usr/bin/setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", tool] + arguments)
        } else {
            _ = try run(tool, arguments)
        }
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: "/tmp")
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(tool) exited \(process.terminationStatus)")
        }
        return process.terminationStatus
    }
}

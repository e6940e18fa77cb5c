import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import LocalServer

/// A throwaway PostgreSQL on 127.0.0.1 with password (SCRAM) authentication, for tests that must
/// prove a password never leaks. Started with the embedded server's own pieces (server
/// programs, the server user, spawning, readiness, the stop escalation), on TCP instead of a
/// private socket.
// @unchecked: everything but `postmaster` is set in init; its one owner calls `stop()`.
public final class PasswordServer: @unchecked Sendable {
    public let port: UInt16
    public let password: String
    public let directory: String
    private var postmaster: pid_t = 0

    /// postgresql://postgres:<password>@127.0.0.1:<port>/postgres
    public var url: String { "postgresql://postgres:\(password)@127.0.0.1:\(port)/postgres" }

    public struct Failure: Error, CustomStringConvertible { public var description: String }

    /// `settings` are extra `name=value` server settings (e.g. `max_connections=8`).
    public init(password: String, settings: [String] = []) throws {
        self.password = password
        let binaries = try ServerBinaries.locate(override: nil)
        let account = try ServerAccount.resolve()
        directory = "\(TestScratch.directory)/lampctl-pwserver-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try (password + "\n").write(toFile: directory + "/pw", atomically: true, encoding: .utf8)
        port = try Self.freePort()
        try account.own(directory)
        try account.own(directory + "/pw")
        let data = directory + "/data"
        let (initdb, initdbArguments) = try account.command(binaries.initdb, [
            "-D", data, "-U", "postgres", "--pwfile=" + directory + "/pw", "--auth-local=trust",
            "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions",
        ])
        let initdbPID = try Spawn.spawn(initdb, initdbArguments, fileActions: Self.quiet)
        guard Spawn.wait(initdbPID) == 0 else { throw Failure(description: "initdb failed for the password server") }

        let (program, arguments) = try account.command(binaries.postgres, [
            "-D", data, "-k", Postmaster.quotedDirectory(directory), "-c", "listen_addresses=127.0.0.1", "-p", String(port),
            "-c", "fsync=off", "-c", "shared_buffers=16MB",
        ] + settings.flatMap { ["-c", $0] })
        postmaster = try Spawn.spawn(program, arguments, fileActions: Self.quiet)
        TestProcess.adopt(server: postmaster)
        let deadline = MonotonicClock.now + 20
        while !Postmaster.isReady(data, pid: postmaster) {
            guard MonotonicClock.now < deadline, Spawn.poll(postmaster) == nil else {
                stop()
                throw Failure(description: "password server did not start")
            }
            MonotonicClock.sleep(0.005)
        }
    }

    public func stop() {
        if postmaster > 0 {
            TestProcess.forget(server: postmaster)
            try? Postmaster.stopForeign(postmaster, dataDirectory: directory + "/data")
            _ = Spawn.wait(postmaster)
            postmaster = 0
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }

    private static let quiet: [Spawn.FileAction] = [
        .open(target: 0, path: "/dev/null", flags: O_RDONLY),
        .open(target: 1, path: "/dev/null", flags: O_WRONLY),
        .open(target: 2, path: "/dev/null", flags: O_WRONLY),
    ]

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
}

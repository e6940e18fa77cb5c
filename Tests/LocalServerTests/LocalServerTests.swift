import Foundation
import Glibc
import TestSupport
import Testing
@testable import LocalServer

/// Against the real PostgreSQL binaries; every test has its own LAMPCTL_HOME under /tmp (its
/// cluster copied from the tests' initdb template). Timings are make bench's (ZeroSetupBench).
@Suite(.bounded)
struct LocalServerTests {
    @Test func firstUseCreatesTheClusterAndLaterUsesReuseIt() throws {
        let home = TestHome()
        defer { home.cleanUp() }
        #expect(!LocalServer.status(home.config).initialised)

        let first = try LocalServer.acquire(home.config)
        #expect(first.connectionString == "postgresql://postgres@/postgres?host=\(home.socketDirectory)&port=5432")
        #expect(home.psql("create table kept_across_runs (id int)") != nil)
        #expect(LocalServer.status(home.config).initialised)
        first.release()
        #expect(waitUntil(timeout: 2) { home.postmasters().isEmpty })

        let second = try LocalServer.acquire(home.config)
        defer { second.release() }
        #expect(home.psql("select count(*) from kept_across_runs") == "0")
        #expect(home.initdbRuns == 1)
    }

    @Test func concurrentLeasesShareOnePostmasterWhichStopsAfterTheLast() throws {
        let home = TestHome()
        defer { home.cleanUp() }
        let leases = try [home.config, home.config].map(LocalServer.acquire)
        #expect(home.postmasters().count == 1)
        let pid = home.postmasters().first

        leases[0].release()
        usleep(100_000)  // several supervisor polls: it must not stop while a lease remains
        #expect(home.postmasters() == [pid].compactMap { $0 })
        #expect(home.psql("select 1") == "1")

        leases[1].release()
        #expect(waitUntil(timeout: 2) { home.postmasters().isEmpty })
        #expect(!LocalServer.status(home.config).running)
    }

    @Test(arguments: [SIGKILL, SIGINT])
    func nothingIsLeftWhenTheClientIsKilled(signal: Int32) throws {
        let home = TestHome()
        defer { home.cleanUp() }
        let client = try home.lampctl(["_lease", "60"])
        #expect(client.firstLine().hasPrefix("postgresql://"))
        #expect(home.postmasters().count == 1)
        #expect(home.psql("select 1") == "1")

        kill(client.pid, signal)
        #expect(client.wait() == 128 + signal)
        #expect(waitUntil(timeout: 3) { home.postmasters().isEmpty })
        #expect(!LocalServer.status(home.config).running)
    }

    @Test func concurrentFirstUseInitialisesOnce() throws {
        let home = TestHome()
        defer { home.cleanUp() }
        let clients = try (0..<4).map { _ in try home.lampctl(["_lease", "0.2"]) }
        for client in clients {
            #expect(client.firstLine().hasPrefix("postgresql://"))
            #expect(client.wait() == 0)
        }
        #expect(home.initdbRuns == 1)
        #expect(waitUntil(timeout: 2) { home.postmasters().isEmpty })
    }

    @Test func keptServerOutlivesItsStarterUntilStopped() throws {
        let home = TestHome()
        defer { home.cleanUp() }
        let starter = try home.lampctl(["db", "start"])
        #expect(starter.firstLine().hasPrefix("running (pid "))
        #expect(starter.wait() == 0)

        usleep(100_000)
        let status = LocalServer.status(home.config)
        #expect(status.running && status.kept)
        #expect(status.postmasterPID == home.postmasters().first)

        // A client coming and going leaves a kept server running.
        try LocalServer.acquire(home.config).release()
        usleep(100_000)
        #expect(home.psql("select 1") == "1")

        #expect(try LocalServer.stop(home.config))
        #expect(home.postmasters().isEmpty)
        #expect(!LocalServer.status(home.config).running)
        #expect(try !LocalServer.stop(home.config))
    }

    @Test func startTurnsAnOnDemandServerIntoAKeptOne() throws {
        let home = TestHome()
        defer { home.cleanUp() }
        let lease = try LocalServer.acquire(home.config)
        let pid = home.postmasters()
        let status = try LocalServer.start(home.config)
        #expect(status.kept && status.running)
        lease.release()
        usleep(150_000)
        #expect(home.postmasters() == pid)
        #expect(try LocalServer.stop(home.config))
    }

    @Test func anOrphanedPostmasterIsReplacedNotDuplicated() throws {
        let home = TestHome()
        defer { home.cleanUp() }
        try LocalServer.acquire(home.config).release()
        #expect(waitUntil(timeout: 2) { home.postmasters().isEmpty })

        // A postmaster nobody supervises, as a crash could leave behind.
        let account = try ServerAccount.resolve()
        let arguments = Postmaster.arguments(dataDirectory: home.dataDirectory, socketDirectory: home.socketDirectory, port: home.paths.port)
        let (program, argv) = try account.command(ServerBinaries.locate(override: nil).postgres, arguments)
        let orphan = try Spawn.spawn(program, argv, fileActions: [
            .open(target: 1, path: "/dev/null", flags: O_WRONLY), .open(target: 2, path: "/dev/null", flags: O_WRONLY),
        ])
        defer { kill(orphan, SIGKILL); _ = Spawn.wait(orphan) }
        #expect(waitUntil(timeout: 10) { Postmaster.isReady(home.dataDirectory, pid: orphan) })
        #expect(LocalServer.status(home.config).running)
        #expect(LocalServer.status(home.config).postmasterPID == orphan)

        let lease = try LocalServer.acquire(home.config)
        #expect(home.postmasters().count == 1)
        #expect(home.psql("select 1") == "1")
        lease.release()
        #expect(waitUntil(timeout: 2) { home.postmasters().isEmpty })
    }

    @Test func aKilledSupervisorsPostmasterGoesAndIsNotDuplicated() throws {
        let home = TestHome()
        defer { home.cleanUp() }
        _ = try LocalServer.start(home.config)
        let supervisor = try #require(SupervisorState.read(from: home.paths.stateFile))
        kill(supervisor.pid, SIGKILL)
        // The postmaster gets SIGINT from the kernel when its parent dies.
        #expect(waitUntil(timeout: 3) { home.postmasters().isEmpty })

        let lease = try LocalServer.acquire(home.config)
        #expect(home.postmasters().count == 1)
        #expect(home.psql("select 1") == "1")
        lease.release()
        #expect(waitUntil(timeout: 2) { home.postmasters().isEmpty })
    }

    @Test func missingServerBinariesNameThePackageToInstall() throws {
        let error = #expect(throws: LocalServerError.self) {
            try ServerBinaries.locate(override: nil, pgConfigCandidates: [], versionRoot: "/nonexistent")
        }
        #expect(error?.message.contains("apt-get install postgresql") == true)

        let home = TestHome()
        defer { home.cleanUp() }
        var config = home.config
        config.binDir = "/nonexistent/bin"
        let overridden = #expect(throws: LocalServerError.self) { try LocalServer.acquire(config) }
        #expect(overridden?.message.contains("apt-get install postgresql") == true)
    }

    @Test func theSocketDirectoryIsPrivateAndThereIsNoTCPPort() throws {
        let home = TestHome()
        defer { home.cleanUp() }
        let lease = try LocalServer.acquire(home.config)
        defer { lease.release() }

        var info = stat()
        #expect(lstat(home.socketDirectory, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
        #expect(info.st_uid == (try ServerAccount.resolve()).uid)
        #expect(home.psql("show listen_addresses") == "")

        let postmaster = try #require(home.postmasters().first)
        let socketInodes = Set(((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(postmaster)/fd")) ?? [])
            .compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(postmaster)/fd/\($0)") }
            .filter { $0.hasPrefix("socket:[") }
            .map { String($0.dropFirst(8).dropLast()) })
        #expect(!socketInodes.isEmpty)
        var listening: [String] = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            let text = (try? String(contentsOfFile: table, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                if fields.count > 9, fields[3] == "0A" { listening.append(String(fields[9])) }
            }
        }
        #expect(socketInodes.isDisjoint(with: listening))
    }

    @Test func aLongHomeGetsItsSocketDirectoryUnderTmp() throws {
        let home = TestHome(prefix: "/tmp/lst-" + String(repeating: "x", count: 90) + "-")
        defer { home.cleanUp() }
        #expect(home.socketDirectory.hasPrefix("/tmp/lampctl-\(getuid())-"))
        let lease = try LocalServer.acquire(home.config)
        #expect(home.psql("select 1") == "1")
        lease.release()
        #expect(waitUntil(timeout: 10) { LocalServer.isStopped(home.config) })
        // A reset takes the private socket directory with the data (it stayed in /tmp).
        #expect(FileManager.default.fileExists(atPath: home.socketDirectory))
        try LocalServer.reset(home.config)
        #expect(!FileManager.default.fileExists(atPath: home.socketDirectory))
    }

    @Test func aHomeTheServerUserCannotReachIsRefused() throws {
        try #require(geteuid() == 0, "only root switches to the postgres user")
        let outer = TestHome()
        defer { outer.cleanUp() }
        chmod(outer.path, 0o700)
        let config = LocalServerConfiguration(home: outer.path + "/home", executable: TestHome.lampctl)
        let error = #expect(throws: LocalServerError.self) { try LocalServer.acquire(config) }
        #expect(error?.message.contains("LAMPCTL_HOME") == true)
        #expect(error?.message.contains("\n") == false)
    }

    @Test func resetDeletesOnlyALampctlCluster() throws {
        let home = TestHome()
        defer { home.cleanUp() }
        _ = try LocalServer.start(home.config)
        try LocalServer.reset(home.config)
        #expect(home.postmasters().isEmpty)
        #expect(!LocalServer.status(home.config).initialised)
        #expect(!FileManager.default.fileExists(atPath: home.dataDirectory))

        try FileManager.default.createDirectory(atPath: home.dataDirectory, withIntermediateDirectories: false)
        _ = FileManager.default.createFile(atPath: home.dataDirectory + "/precious", contents: Data())
        #expect(throws: LocalServerError.self) { try LocalServer.reset(home.config) }
        #expect(FileManager.default.fileExists(atPath: home.dataDirectory + "/precious"))
        #expect(throws: LocalServerError.self) { try LocalServer.acquire(home.config) }
    }
}

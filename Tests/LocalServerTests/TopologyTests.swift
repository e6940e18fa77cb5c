import Foundation
import Glibc
import TestSupport
import Testing
@testable import LocalServer

/// Named clusters in one home: where each one's files, socket and port are.
@Suite("Cluster topology", .bounded)
struct TopologyTests {
    static let standby = ClusterName("standby", port: 5433)

    @Test("The primary keeps the home's top-level layout; another cluster gets its own directory, socket and port")
    func layout() {
        let primary = StateDirectory(home: "/srv/lampctl")
        #expect(primary.cluster == .primary)
        #expect(primary.dataDirectory == "/srv/lampctl/data")
        #expect(primary.socketDirectory == "/srv/lampctl/run")
        #expect(primary.clientsLock == "/srv/lampctl/clients.lock")
        #expect(primary.connectionString == "postgresql://postgres@/postgres?host=/srv/lampctl/run&port=5432")

        let other = StateDirectory(home: "/srv/lampctl", cluster: Self.standby)
        #expect(other.dataDirectory == "/srv/lampctl/clusters/standby/data")
        #expect(other.socketDirectory == "/srv/lampctl/clusters/standby/run")
        #expect(other.supervisorLock == "/srv/lampctl/clusters/standby/supervisor.lock")
        #expect(other.connectionString == "postgresql://postgres@/postgres?host=/srv/lampctl/clusters/standby/run&port=5433")
        #expect(primary.connectionString(of: Self.standby) == other.connectionString)
    }

    @Test("Too long or comma-holding socket paths move to a private /tmp directory, one per cluster")
    func socketFallback() {
        let long = "/tmp/" + String(repeating: "x", count: 95)
        let primary = StateDirectory(home: long), other = StateDirectory(home: long, cluster: Self.standby)
        #expect(primary.socketDirectory.hasPrefix("/tmp/lampctl-\(getuid())-"))
        #expect(other.socketDirectory.hasPrefix("/tmp/lampctl-\(getuid())-"))
        #expect(primary.socketDirectory != other.socketDirectory)
        #expect(StateDirectory(home: "/tmp/a,b").socketDirectory.hasPrefix("/tmp/lampctl-\(getuid())-"))
    }

    @Test("The URL percent-encodes the socket directory")
    func percentEncoding() {
        let paths = StateDirectory(home: "/tmp/a b&c%d?e#f")
        #expect(paths.connectionString == "postgresql://postgres@/postgres?host=/tmp/a%20b%26c%25d%3Fe%23f/run&port=5432")
        #expect(StateDirectory.percentEncoded("é") == "%C3%A9")
    }

    @Test("A home lists its primary, and the lease and LocalServer give its connection string by name")
    func connectionStringsByName() throws {
        let home = TestHome()
        defer { home.cleanUp() }
        #expect(home.paths.clusters == [.primary])
        #expect(LocalServer.connectionStrings(home.config) == [.primary: home.paths.connectionString])
        let lease = try LocalServer.acquire(home.config)
        defer { lease.release() }
        #expect(lease.connectionStrings == [.primary: home.paths.connectionString])
        #expect(lease.connectionString == home.paths.connectionString)
        // The previous version's layout: the cluster at <home>/data, its socket in <home>/run.
        #expect(FileManager.default.fileExists(atPath: home.path + "/data/PG_VERSION"))
        #expect(FileManager.default.fileExists(atPath: home.path + "/run/.s.PGSQL.5432"))
    }

    @Test("The supervisor is told which cluster it runs")
    func supervisorArguments() {
        let options = Supervisor.parse(["--home", "/h", "--cluster", "primary", "--bindir", "/b"])
        #expect(options?.cluster == .primary)
        #expect(Supervisor.parse(["--home", "/h", "--cluster", "nosuch", "--bindir", "/b"]) == nil)
        #expect(Postmaster.arguments(dataDirectory: "/d", socketDirectory: "/s, \"x\"", port: 5433).contains("\"/s, \"\"x\"\"\""))
    }
}

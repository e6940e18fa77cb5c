import Foundation
import TestSupport
import Testing

/// doctor checks that the embedded server's home can be written (it reported a read-only one as
/// ok), and prints its URL percent-encoded (a home with spaces or '&' gave a URL that did not parse).
@Suite("doctor and the embedded server's home", .bounded)
struct DoctorHomeTests {
    @Test("a home on a read-only file system fails the state directory check, saying why, exit 1")
    func readOnlyHome() throws {
        let disk = try Self.mountTmpfs("ro,size=1m")
        defer { disk.unmount() }
        let mountPoint = disk.path
        let doctor = try LampctlProcess.run(["doctor"], environment: ["LAMPCTL_HOME": mountPoint + "/home"])
        #expect(doctor.status == 1)
        #expect(doctor.stdout.contains("FAIL  state directory \(mountPoint)/home"), "\(doctor.stdout)")
        #expect(doctor.stdout.contains("(Read-only file system): set LAMPCTL_HOME to a writable directory"), "\(doctor.stdout)")
    }

    /// A tmpfs mounted with `options` for the test (root), and its unmount.
    static func mountTmpfs(_ options: String) throws -> (path: String, unmount: () -> Void) {
        let mountPoint = "\(TestScratch.directory)/lampctl-mnt-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mounted = try TestProcess.run("/bin/mount", ["-t", "tmpfs", "-o", options, "tmpfs", mountPoint])
        try #require(mounted.status == 0, "a small tmpfs is how this test makes a full disk (root): \(mounted.stderr)")
        return (mountPoint, {
            _ = try? TestProcess.run("/bin/umount", [mountPoint])
            try? FileManager.default.removeItem(atPath: mountPoint)
        })
    }

    @Test("a disk too small for initdb: the cause (the disk is full, MB free) instead of initdb's PANIC line; doctor fails disk space")
    func fullDisk() throws {
        let disk = try Self.mountTmpfs("size=8m")
        defer { disk.unmount() }
        let home = disk.path + "/home"
        var environment: [String: String?] = ["LAMPCTL_HOME": home]
        environment["LAMPCTL_INITDB_TEMPLATE"] = .some(nil)  // initdb itself, not a copy
        let doctor = try LampctlProcess.run(["doctor"], environment: environment)
        #expect(doctor.stdout.contains("FAIL  disk space"), "\(doctor.stdout)")
        #expect(doctor.stdout.contains("under the 64 MB a cluster and its runs need"), "\(doctor.stdout)")
        let read = try LampctlProcess.run(["read", "1"], environment: environment)
        #expect(read.status == 71)
        #expect(read.stderr.contains("the disk of \(home) is full ("), "\(read.stderr)")
        #expect(!read.stderr.contains("PANIC"), "\(read.stderr)")
        #expect(read.stderr.split(separator: "\n").count == 1)
    }

    @Test("the database line is a URL that parses back to the home's socket directory")
    func encodedURL() throws {
        let parent = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(parent) }
        let home = parent + "/a b&c"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { _ = try? LampctlProcess.run(["db", "stop"], environment: ["LAMPCTL_HOME": home]) }
        let doctor = try LampctlProcess.run(["doctor"], environment: ["LAMPCTL_HOME": home])
        #expect(doctor.status == 0, "\(doctor.stdout)")
        let line = try #require(doctor.stdout.split(separator: "\n").first { $0.hasPrefix("ok    database") })
        #expect(line.contains("host=\(home.replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: "&", with: "%26"))/run&port="), "\(line)")
    }
}

import Foundation
import TestSupport
import Testing

/// doctor checks that the embedded server's home can be written (it reported a read-only one as
/// ok), and prints its URL percent-encoded (a home with spaces or '&' gave a URL that did not parse).
@Suite("doctor and the embedded server's home", .bounded)
struct DoctorHomeTests {
    @Test("a home on a read-only file system fails the state directory check, saying why, exit 1")
    func readOnlyHome() throws {
        let mountPoint = "\(TestScratch.directory)/lampctl-ro-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: mountPoint) }
        let mounted = try TestProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", mountPoint])
        try #require(mounted.status == 0, "a read-only tmpfs is how this test makes a read-only home (root): \(mounted.stderr)")
        defer { _ = try? TestProcess.run("/bin/umount", [mountPoint]) }
        let doctor = try LampctlProcess.run(["doctor"], environment: ["LAMPCTL_HOME": mountPoint + "/home"])
        #expect(doctor.status == 1)
        #expect(doctor.stdout.contains("FAIL  state directory \(mountPoint)/home"), "\(doctor.stdout)")
        #expect(doctor.stdout.contains("(Read-only file system): set LAMPCTL_HOME to a writable directory"), "\(doctor.stdout)")
    }

    @Test("the database line is a URL that parses back to the home's socket directory")
    func encodedURL() throws {
        let home = try EmbeddedDefaultTests.makeHome() + "/a b&c"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { EmbeddedDefaultTests.removeHome(home) }
        let doctor = try LampctlProcess.run(["doctor"], environment: ["LAMPCTL_HOME": home])
        #expect(doctor.status == 0, "\(doctor.stdout)")
        let line = try #require(doctor.stdout.split(separator: "\n").first { $0.hasPrefix("ok    database") })
        #expect(line.contains("host=\(home.replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: "&", with: "%26"))/run&port="), "\(line)")
    }
}

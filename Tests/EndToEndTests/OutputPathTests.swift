import Foundation
import Synchronization
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `--output PATH` writes as a shell's `>` would and never destroys what is at the path: a regular
/// file is replaced atomically, a directory refused, symbolic links followed, FIFOs and devices
/// written through, and its temporary file never survives an error or a signal.
@Suite("--output never destroys what is at a path", .bounded)
struct OutputPathTests {
    static func info(_ path: String, follow: Bool = false) -> stat? {
        var info = stat()
        return (follow ? stat(path, &info) : lstat(path, &info)) == 0 ? info : nil
    }

    static func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    static var expectedShow: String {
        get throws { try LampctlProcess.run(["scenario", "--show", "none"]).stdout }
    }

    @Test("the README's mermaid example, twice in a row: both succeed, mode 0666 minus the umask")
    func twiceInARow() throws {
        let scratch = try ScratchDirectory("output")
        let url = try TestDatabase.url
        var outputs: [String] = []
        for _ in 0..<2 {
            let run = try RedirectedLampctl.run(["scenario", "--fix", "none", "--diagram", "mermaid", "--output", "none.mmd"],
                                                environment: ["DATABASE_URL": url], umask: "027", directory: scratch.path)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.isEmpty)
            outputs.append(Self.contents(scratch.at("none.mmd")) ?? "")
        }
        #expect(outputs[0].hasPrefix("sequenceDiagram"))
        #expect(outputs[1].hasPrefix("sequenceDiagram"))
        #expect(Self.info(scratch.at("none.mmd")).map { $0.st_mode & 0o7777 } == 0o640)
        #expect(scratch.entries == ["none.mmd"], "no temporary file left")
    }

    @Test("a regular file is replaced by rename: its mode is kept, a hard link to it keeps the old text")
    func replacedAtomically() throws {
        let scratch = try ScratchDirectory("output")
        let target = scratch.at("out.txt")
        try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
        chmod(target, 0o600)
        link(target, scratch.at("old-link"))
        let run = try LampctlProcess.run(["scenario", "--show", "none", "--output", target])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.contents(target) == (try Self.expectedShow))
        #expect(Self.contents(scratch.at("old-link")) == "old\n", "the old file was not truncated in place")
        #expect(Self.info(target).map { $0.st_mode & 0o7777 } == 0o600)
        #expect(scratch.entries == ["old-link", "out.txt"])
    }

    @Test("a directory is refused with one line and exit 74, and left untouched")
    func directoryRefused() throws {
        let scratch = try ScratchDirectory("output")
        let directory = scratch.at("results")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        try "keep\n".write(toFile: directory + "/keep.txt", atomically: false, encoding: .utf8)
        let run = try LampctlProcess.runOnTestDatabase(["scenario", "--fix", "none", "--output", directory])
        #expect(run.status == 74)
        #expect(run.stderr == "lampctl: --output \(directory): is a directory; give a file name\n")
        #expect(run.stdout.isEmpty)
        #expect(Self.info(directory).map { $0.st_mode & S_IFMT } == S_IFDIR)
        #expect(Self.contents(directory + "/keep.txt") == "keep\n")
        #expect(scratch.entries == ["results"])
    }

    @Test("a symbolic link is followed: its target is replaced, the link kept")
    func symlinkFollowed() throws {
        let scratch = try ScratchDirectory("output")
        try FileManager.default.createDirectory(atPath: scratch.at("real"), withIntermediateDirectories: false)
        try "old\n".write(toFile: scratch.at("real/target.txt"), atomically: false, encoding: .utf8)
        symlink("real/target.txt", scratch.at("link"))
        symlink("link", scratch.at("link-to-link"))
        let run = try LampctlProcess.runOnTestDatabase(["scenario", "--fix", "none", "--json", "--output", scratch.at("link-to-link")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.info(scratch.at("link")).map { $0.st_mode & S_IFMT } == S_IFLNK)
        #expect(Self.info(scratch.at("link-to-link")).map { $0.st_mode & S_IFMT } == S_IFLNK)
        #expect(Self.contents(scratch.at("real/target.txt"))?.hasPrefix("{\"schema_version\": 2, \"strategy\": \"none\"") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.at("real")) == ["target.txt"])
    }

    @Test("a dangling symbolic link creates its target, as a shell would")
    func danglingSymlink() throws {
        let scratch = try ScratchDirectory("output")
        symlink("made.txt", scratch.at("dangling"))
        let run = try LampctlProcess.run(["scenario", "--show", "none", "--output", scratch.at("dangling")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.info(scratch.at("dangling")).map { $0.st_mode & S_IFMT } == S_IFLNK)
        #expect(Self.contents(scratch.at("made.txt")) == (try Self.expectedShow))
        #expect(scratch.entries == ["dangling", "made.txt"])
    }

    @Test("a FIFO is written through and stays a FIFO")
    func fifo() throws {
        let scratch = try ScratchDirectory("output")
        let fifo = scratch.at("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        let received = ReceivedData()
        let reader = Thread {
            // Blocks until lampctl opens the FIFO for writing, then reads to its end.
            received.set(FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data())
        }
        reader.start()
        let run = try LampctlProcess.runOnTestDatabase(["scenario", "--fix", "none", "--json", "--output", fifo])
        #expect(run.status == 0, "\(run.stderr)")
        let deadline = Date().addingTimeInterval(10)
        while !received.isSet, Date() < deadline { usleep(5_000) }
        if !received.isSet {
            // lampctl never opened it: open and close a writer so that the reader thread ends.
            let writer = open(fifo, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
        }
        #expect(String(decoding: received.value, as: UTF8.self).hasPrefix("{\"schema_version\": 2, \"strategy\": \"none\""))
        #expect(Self.info(fifo).map { $0.st_mode & S_IFMT } == S_IFIFO)
        #expect(scratch.entries == ["pipe"])
    }

    @Test("/dev/null is written through and stays the same character device")
    func characterDevice() throws {
        let before = try #require(Self.info("/dev/null"))
        let run = try LampctlProcess.runOnTestDatabase(["scenario", "--fix", "none", "--output", "/dev/null"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let after = try #require(Self.info("/dev/null"))
        #expect(after.st_mode & S_IFMT == S_IFCHR)
        #expect(after.st_rdev == before.st_rdev)
        #expect(after.st_ino == before.st_ino)
    }

    @Test("SIGTERM while the temporary file is written: it is removed, the old file kept")
    func signalRemovesTemporaryFile() throws {
        let scratch = try ScratchDirectory("output")
        let target = scratch.at("out.txt")
        try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
        let process = try BackgroundLampctl(["scenario", "--show", "none", "--output", target],
                                            environment: ["LAMPCTL_FAILPOINT": "writing --output"])
        try process.waitForStderr(containing: "failpoint: paused at writing --output", timeout: 20)
        #expect(scratch.entries.count == 2, "the temporary file exists while paused: \(scratch.entries)")
        #expect(scratch.entries.contains { $0.hasPrefix(".out.txt.lampctl-\(process.pid)-") && $0.hasSuffix(".tmp") })
        kill(process.pid, SIGTERM)
        #expect(try process.wait(timeout: 20) == 143)
        #expect(scratch.entries == ["out.txt"])
        #expect(Self.contents(target) == "old\n")
    }

    @Test("an error while replacing: exit 74, one line, the temporary file removed, nothing else touched")
    func errorRemovesTemporaryFile() throws {
        let scratch = try ScratchDirectory("output")
        let target = scratch.at("out.txt")
        try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
        let process = try BackgroundLampctl(["scenario", "--show", "none", "--output", target],
                                            environment: ["LAMPCTL_FAILPOINT": "writing --output"])
        try process.waitForStderr(containing: "failpoint: paused at writing --output", timeout: 20)
        let paused = process.stderr
        // The path becomes a non-empty directory before the rename: rename(2) must fail.
        try FileManager.default.removeItem(atPath: target)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try "keep\n".write(toFile: target + "/keep.txt", atomically: false, encoding: .utf8)
        kill(process.pid, SIGUSR1)
        #expect(try process.wait(timeout: 20) == 74)
        let lines = process.stderr.dropFirst(paused.count).split(separator: "\n")
        #expect(lines.count == 1, "\(process.stderr)")
        #expect(lines.first?.hasPrefix("lampctl: --output \(target): cannot write: ") == true, "\(process.stderr)")
        #expect(scratch.entries == ["out.txt"])
        #expect(Self.contents(target + "/keep.txt") == "keep\n")
    }
}

/// What the FIFO's reader thread read, set once.
final class ReceivedData: Sendable {
    private let state = Mutex<Data?>(nil)
    func set(_ value: Data) { state.withLock { $0 = value } }
    var isSet: Bool { state.withLock { $0 != nil } }
    var value: Data { state.withLock { $0 ?? Data() } }
}

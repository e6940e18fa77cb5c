import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `lampctl watch -- COMMAND` with small psycopg2 programs whose wire traffic is known: each
/// finding from exactly its pattern, the command's status passed through, nothing left behind
/// (no replication slot, no relay port, no postmaster) after it ends, fails or is signalled.
/// Each test watches on an embedded server of its own home (a slot waits for the transactions
/// running when it is made; the shared test server always has some).
@Suite("lampctl watch", .bounded(seconds: 300))
struct WatchCommandTests {
    /// The test connection reads lamp 1 ('off'), the app connection commits 'on', then the test
    /// does `mode`: keep (nothing), select (read again), repeatable (read again in a repeatable
    /// read transaction begun before the commit), flush (the app's write in the test's own
    /// transaction, read, rolled back), none (the test never reads before the commit).
    static let program = """
        import os, sys, threading, time, psycopg2
        mode = sys.argv[1]
        url = os.environ["DATABASE_URL"]
        test = psycopg2.connect(url, application_name="test")
        app = psycopg2.connect(url, application_name="app")
        t = test.cursor()
        t.execute("CREATE TABLE watch_lamps (id serial PRIMARY KEY, status text NOT NULL DEFAULT 'off')")
        t.execute("INSERT INTO watch_lamps DEFAULT VALUES RETURNING id")
        test.commit()
        if mode == "repeatable":
            test.set_session(isolation_level="REPEATABLE READ")
        if mode != "none":
            t.execute("SELECT id, status FROM watch_lamps WHERE id = 1")
        if mode == "locked":
            t.execute("SELECT id, status FROM watch_lamps WHERE id = 1 FOR UPDATE")
            def switch_on():
                a = app.cursor()
                a.execute("UPDATE watch_lamps SET status = 'on' WHERE id = %s", (1,))
                app.commit()
            request = threading.Thread(target=switch_on)
            request.start()
            time.sleep(0.8)
            test.commit()
            request.join()
        elif mode == "flush":
            t.execute("UPDATE watch_lamps SET status = 'on' WHERE id = 1")
            t.execute("SELECT id, status FROM watch_lamps WHERE id = 1")
            test.rollback()
        else:
            a = app.cursor()
            a.execute("UPDATE watch_lamps SET status = 'on' WHERE id = %s", (1,))
            app.commit()
        if mode in ("select", "repeatable", "none"):
            t.execute("SELECT id, status FROM watch_lamps WHERE id = 1")
        print("port", os.environ["PGPORT"], "pid", os.getpid(), flush=True)
        test.rollback()
        t.execute("DROP TABLE watch_lamps")
        test.commit()
        """

    static func python() throws -> String { try SQLAlchemyCrosscheckTests.python() }

    /// Runs `lampctl watch [options] -- python program MODE` on a home of its own.
    static func watch(_ mode: String, options: [String] = ["--json"], home: String) throws -> TestProcess.Output {
        let script = home + "/program.py"
        if !FileManager.default.fileExists(atPath: script) { try program.write(toFile: script, atomically: true, encoding: .utf8) }
        return try TestProcess.run(LampctlProcess.binary, ["watch"] + options + ["--", try python(), script, mode],
                                   environment: LampctlProcess.environment(["LAMPCTL_HOME": home]), timeout: 120)
    }

    static func findings(_ output: String) -> [[String: Any]] {
        output.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }.filter { $0["finding"] != nil }
    }

    @Test("each pattern gives its finding, and only that", arguments: [
        ("keep", ["nothing newer"]), ("select", ["re-read fresh"]), ("repeatable", ["re-read in an old snapshot"]),
        ("flush", ["never committed"]), ("none", []), ("locked", ["nothing newer", "blocked"]),
    ])
    func findingPerPattern(_ mode: String, _ expected: [String]) throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let run = try Self.watch(mode, home: home)
        #expect(run.status == 0, "\(run.stderr)")
        let findings = Self.findings(run.stdout)
        #expect(findings.map { $0["finding"] as? String } == expected, "\(run.stdout)")
        if mode == "locked", let blocked = findings.last {
            #expect((blocked["reader"] as? [String: Any])?["application_name"] as? String == "app")
            let holders = blocked["holders"] as? [[String: Any]] ?? []
            #expect(holders.map { $0["connection"] as? Int } == [1], "held by the test's connection: \(blocked)")
            #expect(((holders.first?["values"] as? [String: String])?["statement"])?.hasSuffix("FOR UPDATE") == true, "\(blocked)")
        }
        if let finding = findings.first {
            #expect((finding["reader"] as? [String: Any])?["application_name"] as? String == "test")
            #expect(finding["table"] as? String == "public.watch_lamps")
            #expect(finding["key"] as? [String: String] == ["id": "1"])
        }
        if mode == "keep" || mode == "select" || mode == "repeatable" {
            let committed = try #require(findings.first?["committed"] as? [String: Any])
            #expect(committed["values"] as? [String: String] == ["status": "on"])
            #expect(committed["connection"] as? Int == 2, "matched to the app's connection")
        }
    }

    @Test("the text report names the statements; the command's output passes through; no slot, port or server is left")
    func textReportAndNothingLeft() throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let run = try Self.watch("keep", options: [], home: home)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("port "), "the command's own output first: \(run.stdout)")
        #expect(run.stdout.contains("nothing newer: public.watch_lamps id=1\n  C1 (test) received status='off' at +"), "\(run.stdout)")
        #expect(run.stdout.contains("C2 (app) committed status='on' at +"), "\(run.stdout)")
        let first = try #require(run.stdout.split(separator: "\n").first?.split(separator: " "))
        let port = try #require(first.count == 4 ? Int(first[1]) : nil)
        #expect(run.stdout.contains("C1  test  postgres@postgres, server pid "), "\(run.stdout)")
        // Found through /proc beside the conversation: best effort for a program this short, never another pid.
        if run.stdout.contains(", client pid ") {
            #expect(run.stdout.contains(", client pid \(first[3]), opened at"), "the client's own pid: \(run.stdout)")
        }
        #expect(!Self.accepts(port: port), "the relay's port is closed")
        #expect(EmbeddedDefaultTests.waitUntilNoPostmaster(home, seconds: 5), "the embedded server stopped with the last lampctl: no slot can outlive it")
    }

    @Test("the command's exit status is lampctl's; --fail-on stale makes a stale finding exit 1; a command that never connects says so")
    func exitStatus() throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let failed = try LampctlProcess.run(["watch", "--", "/bin/sh", "-c", "echo out; exit 3"], environment: ["LAMPCTL_HOME": home])
        #expect(failed.status == 3)
        #expect(failed.stdout.hasPrefix("out\nlampctl watch: `/bin/sh -c echo out; exit 3` exited 3; 0 connections"), "\(failed.stdout)")
        #expect(failed.stdout.contains("The command never connected to the database lampctl watched"))
        let stale = try Self.watch("keep", options: ["--fail-on", "stale", "--json"], home: home)
        #expect(stale.status == 1, "\(stale.stderr)")
        let fresh = try Self.watch("select", options: ["--fail-on", "stale", "--json"], home: home)
        #expect(fresh.status == 0, "re-read fresh is not stale on the wire: \(fresh.stderr)")
        let missing = try LampctlProcess.run(["watch", "--", "no-such-command-lampctl"], environment: ["LAMPCTL_HOME": home])
        #expect(missing.status == 64)
        #expect(missing.stderr == "lampctl: watch: cannot run no-such-command-lampctl: command not found\n" || missing.stderr.hasPrefix("lampctl: watch: cannot run no-such-command-lampctl: command not found"), "\(missing.stderr)")
        let none = try LampctlProcess.run(["watch"], environment: ["LAMPCTL_HOME": home])
        #expect(none.status == 64)
        #expect(none.stderr.contains("give the command to watch after --"), "\(none.stderr)")
    }

    @Test("a commit just before the command exits is in the report (the server's WAL is flushed before the last read of the slot)")
    func lastCommitDecoded() throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let setup = "import os, psycopg2\nc = psycopg2.connect(os.environ['DATABASE_URL']); t = c.cursor()\n"
        let create = setup + "t.execute('CREATE TABLE last_commit (id int PRIMARY KEY, s text)'); t.execute(\"INSERT INTO last_commit VALUES (1, 'a')\"); c.commit()\n"
        #expect(try LampctlProcess.run(["watch", "--", try Self.python(), "-c", create], environment: ["LAMPCTL_HOME": home]).status == 0)
        for round in 1...3 {
            let update = setup + "t.execute(\"UPDATE last_commit SET s = 'r\(round)'\"); c.commit()\n"
            let run = try LampctlProcess.run(["watch", "--json", "--", try Self.python(), "-c", update], environment: ["LAMPCTL_HOME": home])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("\"committed_transactions\": 1,"), "round \(round): \(run.stdout)")
        }
    }

    @Test("a server with password (SCRAM) authentication over TCP: the handshake passes through the relay, the password never shows")
    func scramPassesThrough() throws {
        try TestMode.requireServer()
        let server = try PasswordServer(password: "s3cret-watch", settings: ["wal_level=logical"])
        defer { server.stop() }
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let script = home + "/program.py"
        try Self.program.write(toFile: script, atomically: true, encoding: .utf8)
        let run = try TestProcess.run(LampctlProcess.binary, ["watch", "--database-url", server.url, "--", try Self.python(), script, "keep"],
                                      environment: LampctlProcess.environment(["LAMPCTL_HOME": home]), timeout: 120)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("nothing newer: public.watch_lamps id=1"), "\(run.stdout)")
        #expect(!(run.stdout + run.stderr).contains("s3cret-watch"))
    }

    @Test("a server without wal_level=logical is refused up front: one line, exit 78, the command not run")
    func walLevelRefused() throws {
        try TestMode.requireServer()
        let server = try PasswordServer(password: "pw")
        defer { server.stop() }
        let run = try LampctlProcess.run(["watch", "--database-url", server.url, "--", "/bin/sh", "-c", "echo ran"])
        #expect(run.status == 78)
        #expect(run.stdout.isEmpty, "the command did not run")
        #expect(run.stderr.hasPrefix("lampctl: watch reads committed changes through logical decoding, which needs wal_level=logical; the server has replica: set it with ALTER SYSTEM"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test("a client that requires TLS fails against the relay, and the report says why")
    func tlsRefused() throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let script = "import os, psycopg2\ntry:\n    psycopg2.connect(os.environ['DATABASE_URL'] + '?sslmode=require')\nexcept Exception as e:\n    print('refused')\n"
        let run = try LampctlProcess.run(["watch", "--", try Self.python(), "-c", script], environment: ["LAMPCTL_HOME": home])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("refused\n"), "\(run.stdout)")
        #expect(run.stdout.contains("note: 1 connection(s) hung up when the relay refused TLS: a client that requires TLS cannot be watched; use sslmode=disable or prefer"), "\(run.stdout)")
    }

    @Test("SIGTERM while the command runs: passed on to it, exit 143, the slot gone with the server")
    func terminated() throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let marker = home + "/started"
        let background = try BackgroundLampctl(["watch", "--", "/bin/sh", "-c", "echo $$ > \(marker).tmp && mv \(marker).tmp \(marker); exec sleep 60"],
                                               environment: ["LAMPCTL_HOME": home])
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: marker) && Date() < deadline { usleep(20_000) }
        let command = try #require(Int32(try String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(background.pid, SIGTERM)
        let status = try background.wait(timeout: 30)
        #expect(status == 143, "\(background.stderr)")
        #expect(background.stderr.contains("terminated (SIGTERM): the watched command was stopped"), "\(background.stderr)")
        #expect(kill(command, 0) != 0, "the command is gone, not orphaned")
        #expect(EmbeddedDefaultTests.waitUntilNoPostmaster(home, seconds: 10))
    }

    static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

import Foundation
import TestSupport
import Testing

/// Every built-in and user scenario file, over the whole matrix, through lampctl and through real
/// SQLAlchemy 2.1.9, with psycopg2 and with asyncpg under AsyncSession (tools/crosscheck.sh): the
/// JSON Lines must be identical. `make test` prepares
/// the Python environment (tools/sqlalchemy-venv.sh) and passes it in LAMPCTL_SQLALCHEMY_PYTHON.
@Suite("Cross-check against real SQLAlchemy")
struct SQLAlchemyCrosscheckTests {
    @Test("lampctl and SQLAlchemy agree on every case")
    func identical() throws {
        let python = ProcessInfo.processInfo.environment["LAMPCTL_SQLALCHEMY_PYTHON"]
            ?? Fixtures.directory.deletingLastPathComponent().appendingPathComponent(".build/sqlalchemy-venv/bin/python").path
        try #require(FileManager.default.isExecutableFile(atPath: python),
                     "no Python with SQLAlchemy at \(python): run tools/sqlalchemy-venv.sh (make test does)")
        let script = Fixtures.directory.deletingLastPathComponent().appendingPathComponent("tools/crosscheck.sh").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script]
        process.environment = LampctlProcess.environment([
            "DATABASE_URL": try TestDatabase.url, "PYTHON": python, "LAMPCTL_BIN": LampctlProcess.binary,
        ])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("cases identical to SQLAlchemy 2.1.9 (psycopg2)"), "\(text)")
        #expect(text.contains("cases identical to SQLAlchemy 2.1.9 (asyncpg)"), "\(text)")
    }
}

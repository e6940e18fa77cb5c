import Foundation
import TestSupport
import Testing

/// Every test has a time limit and runs off the cooperative pool: every file with a `@Test`
/// declares its suite with the `.bounded` trait (TestSupport's BoundedTest).
@Suite("Test hygiene", .bounded)
struct TestHygieneTests {
    static var testSources: [URL] {
        let tests = Fixtures.directory.deletingLastPathComponent().appendingPathComponent("Tests")
        let files = FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return files.filter { $0.pathExtension == "swift" }
    }

    @Test("every suite carries .bounded, and every file with tests declares a suite")
    func everySuiteIsBounded() throws {
        let sources = Self.testSources
        #expect(sources.count > 50)
        for file in sources {
            let text = try String(contentsOf: file, encoding: .utf8)
            let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let suites = lines.filter { $0.hasPrefix("@Suite") }
            if lines.contains(where: { $0.hasPrefix("@Test") }) {
                #expect(!suites.isEmpty, "\(file.lastPathComponent) has tests but no @Suite(..., .bounded)")
            }
            for suite in suites {
                #expect(suite.contains(".bounded"), "\(file.lastPathComponent): \(suite)")
            }
        }
    }
}

import LampctlKit
import TestSupport
import Testing

/// `scenario --list`: a name and its summary a line, the summaries in one column however long
/// the names (the fixture built-ins' names pushed theirs out of line).
@Suite("scenario --list", .bounded)
struct ScenarioCatalogueTests {
    @Test("the summaries start in one column, two spaces past the longest name", arguments: [false, true])
    func oneColumn(replica: Bool) throws {
        let lines = try ScenarioCatalogue.listing(replica: replica).split(separator: "\n").map(String.init)
        #expect(lines.count > 5)
        let names = lines.map { String($0.prefix { $0 != " " }) }
        let column = (names.map(\.count).max() ?? 0) + 2
        for line in lines {
            let start = line.index(line.startIndex, offsetBy: column)
            #expect(line[line.index(before: start)] == " " && line[start] != " ", "\(line)")
        }
    }
}

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Scenario
import ScenarioRendering
import TestSupport
import Testing

/// The HTML report, its SVG diagrams, the JUnit XML and the fix matrix, rendered from recorded
/// results (no database): well formed, escaped, counted right.
@Suite(.bounded) struct ReportRenderingTests {
    static let context = ReportContext(lampctlVersion: "0.1.0", serverVersion: "15.18", database: "embedded server", date: "1970-01-01T00:00:00Z")

    /// Parses `text` as XML; the parser's error, if any.
    static func xmlError(_ text: String) -> String? {
        let parser = XMLParser(data: Data(text.utf8))
        return parser.parse() ? nil : parser.parserError.map { "\($0)" } ?? "unknown XML error"
    }

    /// A result whose every user-chosen string is hostile to markup.
    static func hostile() throws -> CaseResult {
        var result = try RecordedResults.one("none")
        result.scenario = "x<script>alert('&')</script>\"\u{1}"
        return result
    }

    static func report(_ results: [CaseResult]) -> String {
        var report = HTMLReport()
        results.forEach { report.add($0) }
        return report.render(results, context: context)
    }

    @Test func everySVGDiagramIsWellFormedXMLWithATitle() throws {
        let html = Self.report(try RecordedResults.load("default") + [try Self.hostile()])
        var rest = Substring(html)
        var count = 0
        while let start = rest.range(of: "<svg "), let end = rest.range(of: "</svg>") {
            let svg = String(rest[start.lowerBound..<end.upperBound])
            #expect(Self.xmlError(svg) == nil, "\(svg.prefix(200))")
            #expect(svg.contains("role=\"img\"") && svg.contains("<title id="))
            count += 1
            rest = rest[end.upperBound...]
        }
        #expect(count == 10)
    }

    @Test func theReportEscapesWhatUsersWrite() throws {
        let html = Self.report([try Self.hostile()])
        #expect(!html.contains("<script>"))
        #expect(html.contains("x&lt;script&gt;alert('&amp;')&lt;/script&gt;\"\u{FFFD}"))
        #expect(!html.contains("\u{1}"))
    }

    @Test func theReportHasATableRowAndASectionPerCaseLinkedByID() throws {
        let results = try RecordedResults.load("default")
        let html = Self.report(results)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"))
        for number in 1...results.count {
            #expect(html.contains("<a href=\"#case-\(number)\">"))
            #expect(html.contains("<section id=\"case-\(number)\""))
        }
        #expect(html.components(separatedBy: "<th scope=\"row\">").count - 1 == results.count)
        // Colour is never alone: the class sits on a cell that says its word.
        #expect(html.contains("<td class=\"bad\">stale</td>") && html.contains("<td class=\"good\">fresh</td>"))
        #expect(!html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("://"), "nothing refers outside the file")
    }

    @Test func junitCountsFailuresPerSuiteAndParses() throws {
        let results = try RecordedResults.load("default")
        let xml = JUnitReport.render(results, context: Self.context)
        #expect(Self.xmlError(xml) == nil)
        #expect(xml.contains("<testsuites name=\"lampctl scenario\" tests=\"9\" failures=\"2\" errors=\"0\">"))
        #expect(xml.contains("<testsuite name=\"none\" tests=\"1\" failures=\"1\""))
        #expect(xml.contains("<failure type=\"false failure\" message=\"stale (identity map), false failure: the object says 'off', the transaction sees 'on', committed 'on'\">"))
        #expect(xml.contains("<property name=\"read committed (default), expire_on_commit=false, app=commit :: verdict\" value=\"stale\"/>"))
        let hostile = JUnitReport.render([try Self.hostile()], context: Self.context)
        #expect(Self.xmlError(hostile) == nil, "\(hostile)")
    }

    @Test func theMatrixPivotsCasesIntoRowsAndStrategyColumns() throws {
        let results = try RecordedResults.load("default")
        let matrix = FixMatrix(results)
        let section = try #require(matrix.sections.first)
        #expect(matrix.sections.count == 1)
        #expect(section.strategies == results.map(\.scenario))
        #expect(section.rows.count == 1)
        #expect(section.rows[0].cells.map(\.text).first == "stale: identity map")
        let markdown = FixMatrixRenderer.markdown(matrix, preamble: "# m")
        #expect(markdown.contains("| SQLAlchemy | sync | independent | stale: identity map | fresh |"))
        let html = FixMatrixRenderer.html(matrix, context: Self.context)
        #expect(html.contains("<caption>SQLAlchemy: fix strategies (columns) per driver and test wrapper (rows)</caption>"))
    }
}

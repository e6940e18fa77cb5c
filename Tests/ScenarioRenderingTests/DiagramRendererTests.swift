import Scenario
import ScenarioRendering
import TestSupport
import Testing

/// The reference flow's diagrams, drawn from recorded results (no database), against golden files
/// (regenerate with `make fixtures`).
@Suite(.bounded) struct DiagramRendererTests {
    @Test func textDiagramOfTheReferenceFlowMatchesTheGoldenFile() throws {
        let text = DiagramRenderer.text(try RecordedResults.one("none"))
        #expect(text == (try #require(try Fixtures.expected("expected/diagram-none.txt", actual: text), "run make fixtures")))
    }

    @Test func mermaidDiagramOfTheReferenceFlowMatchesTheGoldenFile() throws {
        let markup = DiagramRenderer.mermaid(try RecordedResults.one("none"))
        #expect(markup == (try #require(try Fixtures.expected("expected/diagram-none.mmd", actual: markup), "run make fixtures")))
    }

    @Test func textDiagramIsASCIIAndWithinItsWidth() throws {
        let result = try RecordedResults.one("none")
        for width in [72, 100, 140] {
            let lines = DiagramRenderer.text(result, width: width).split(separator: "\n")
            #expect(lines.allSatisfy { $0.count <= width })
            #expect(lines.allSatisfy { $0.allSatisfy(\.isASCII) })
        }
    }

    @Test func staleReadIsMarkedInBothDiagrams() throws {
        let result = try RecordedResults.one("none")
        #expect(DiagramRenderer.text(result).contains("!! identity map kept status='off', row said 'on'"))
        let markup = DiagramRenderer.mermaid(result)
        #expect(markup.contains("rect rgb("))
        #expect(markup.contains("DB-->>S1: status='on'"))
    }

    @Test func mermaidMessagesEscapeWhatMermaidReadsAsSyntax() throws {
        let markup = DiagramRenderer.mermaid(try RecordedResults.one("none"))
        for line in markup.split(separator: "\n") {
            var rest = Substring(line)
            // Drop the entity codes (#35;) the renderer wrote; no raw '#', ';' or '%%' may remain.
            while let hash = rest.firstIndex(of: "#") {
                let code = rest[rest.index(after: hash)...].prefix { $0.isNumber }
                #expect(!code.isEmpty && rest[code.endIndex...].first == ";", "raw '#' in: \(line)")
                rest = code.isEmpty ? rest[rest.index(after: hash)...] : rest[rest.index(after: code.endIndex)...]
                if code.isEmpty { break }
            }
            #expect(!rest.contains(";") && !rest.contains("%%"), "raw ';' or '%%' in: \(line)")
        }
        #expect(markup.contains("object #35;1"))
    }

    @Test func snapshotStaleReadIsMarkedUnderRepeatableRead() throws {
        let text = DiagramRenderer.text(try RecordedResults.one("none-repeatable-read"))
        #expect(text.contains("!! snapshot: row shows status='off', committed is 'on'"))
    }
}

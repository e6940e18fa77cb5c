/// Draws a `DiagramScript` as inline SVG for the HTML report: the same lifelines, arrows, notes,
/// highlighted stale reads and summary as the text and Mermaid diagrams, laid out in pixels.
/// Text is wrapped (never clipped) and every string is escaped; `role="img"` and a `<title>`
/// name the figure for screen readers.
struct SVGDiagram {
    let script: DiagramScript
    /// A unique prefix for the element ids of this diagram in its document.
    let id: String

    private static let lane = 230
    private static let margin = 24
    private static let characterWidth = 7.3
    private static let lineHeight = 15
    private static let headerHeight = 46

    private var width: Int { Self.margin * 2 + max(1, script.participants.count - 1) * Self.lane + Self.lane / 2 }
    private var columns: [String: Int] {
        var columns: [String: Int] = [:]
        for (position, participant) in script.participants.enumerated() {
            columns[participant.label] = Self.margin + Self.lane / 4 + position * Self.lane
        }
        return columns
    }

    func render() -> String {
        var body = Body(columns: columns, width: width)
        body.y = Self.headerHeight + 10
        for item in script.items { body.draw(item) }
        let height = body.y + 10
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"\(id)-title\" "
            + "viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" class=\"diagram\">\n"
        out += "<title id=\"\(id)-title\">\(MarkupText.escape("Sequence diagram: " + script.title))</title>\n"
        out += body.backgrounds.joined()
        for participant in script.participants {
            let x = columns[participant.label] ?? 0
            out += "<line class=\"lifeline\" x1=\"\(x)\" y1=\"\(Self.headerHeight)\" x2=\"\(x)\" y2=\"\(height - 6)\"/>\n"
            out += "<text class=\"participant\" x=\"\(x)\" y=\"18\" text-anchor=\"middle\">\(MarkupText.escape(participant.name))</text>\n"
            out += "<text class=\"role\" x=\"\(x)\" y=\"34\" text-anchor=\"middle\">\(MarkupText.escape(participant.role))</text>\n"
        }
        out += body.shapes.joined()
        return out + "</svg>\n"
    }

    /// The drawing, top to bottom: `y` is the next free line.
    private struct Body {
        let columns: [String: Int]
        let width: Int
        var y = 0
        var backgrounds: [String] = []
        var shapes: [String] = []

        mutating func draw(_ item: DiagramScript.Item) {
            switch item {
            case let .section(title):
                y += 6
                backgrounds.append("<rect class=\"section\" x=\"4\" y=\"\(y - 12)\" width=\"\(width - 8)\" height=\"18\"/>\n")
                text(title, x: 10, className: "section-title")
                y += 10
            case let .request(from, server, text):
                arrow(from: column(from), to: column(server), text: text, reply: false)
            case let .reply(to, server, text):
                arrow(from: column(server), to: column(to), text: text, reply: true)
            case let .note(on, text, warning):
                note(text, at: column(on), warning: warning)
            case let .highlight(items):
                let top = y - 13
                let start = shapes.count
                items.forEach { draw($0) }
                backgrounds.append("<rect class=\"highlight\" x=\"4\" y=\"\(top)\" width=\"\(width - 8)\" height=\"\(y - top - 8)\"/>\n")
                if shapes.count == start { y += 4 }
            case let .summary(texts):
                y += 8
                let lines = texts.flatMap { TextDiagram.wrap($0, to: Self.characters(width - 24)) }
                backgrounds.append("<rect class=\"summary\" x=\"4\" y=\"\(y - 13)\" width=\"\(width - 8)\" height=\"\(lines.count * SVGDiagram.lineHeight + 8)\"/>\n")
                for line in lines { text(line, x: 12, className: "summary-text") }
            }
        }

        private func column(_ label: String) -> Int { columns[label] ?? 0 }

        private static func characters(_ pixels: Int) -> Int { max(12, Int(Double(pixels) / SVGDiagram.characterWidth)) }

        /// The label above the line, wrapped to the width right of the arrow's left end.
        private mutating func arrow(from start: Int, to end: Int, text: String, reply: Bool) {
            let low = min(start, end)
            for line in TextDiagram.wrap(text, to: Self.characters(width - low - 16)) {
                self.text(line, x: low + 8, className: reply ? "reply-text" : "request-text")
            }
            let tip = end > start ? end - 2 : end + 2
            let head = end > start ? "\(tip),\(y - 4) \(tip - 8),\(y - 8) \(tip - 8),\(y)" : "\(tip),\(y - 4) \(tip + 8),\(y - 8) \(tip + 8),\(y)"
            shapes.append("<line class=\"\(reply ? "reply" : "request")\" x1=\"\(start)\" y1=\"\(y - 4)\" x2=\"\(tip)\" y2=\"\(y - 4)\"/>"
                + "<polygon class=\"head\" points=\"\(head)\"/>\n")
            y += 8
        }

        private mutating func note(_ text: String, at x: Int, warning: Bool) {
            let lines = TextDiagram.wrap(text, to: Self.characters(width - x - 24))
            let longest = lines.map(\.count).max() ?? 0
            let boxWidth = Int(Double(longest) * SVGDiagram.characterWidth) + 12
            backgrounds.append("<rect class=\"\(warning ? "note warning" : "note")\" x=\"\(x + 6)\" y=\"\(y - 12)\" "
                + "width=\"\(boxWidth)\" height=\"\(lines.count * SVGDiagram.lineHeight + 2)\" rx=\"3\"/>\n")
            for line in lines { self.text(line, x: x + 12, className: warning ? "warning-text" : "note-text") }
            y += 4
        }

        private mutating func text(_ text: String, x: Int, className: String) {
            shapes.append("<text class=\"\(className)\" x=\"\(x)\" y=\"\(y)\">\(MarkupText.escape(text))</text>\n")
            y += SVGDiagram.lineHeight
        }
    }
}

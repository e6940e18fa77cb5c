/// Lays a `DiagramScript` out as an ASCII sequence diagram of a fixed width: one column per
/// participant, `|` lifelines, `-->` requests, `<..` replies, notes beside the lifeline.
struct TextDiagram {
    let width: Int
    let script: DiagramScript
    /// The column of each participant's lifeline, by label.
    private let columns: [String: Int]
    private var lines: [String] = []

    init(_ script: DiagramScript, width: Int) {
        self.script = script
        self.width = max(width, 12 * script.participants.count, 48)
        let count = script.participants.count
        let left = 4
        let right = self.width - 6
        var columns: [String: Int] = [:]
        for (position, participant) in script.participants.enumerated() {
            columns[participant.label] = count == 1 ? left : left + position * (right - left) / (count - 1)
        }
        self.columns = columns
    }

    func render() -> String {
        var diagram = self
        diagram.draw()
        return diagram.lines.map { $0.trailingSpacesDropped }.joined(separator: "\n") + "\n"
    }

    private mutating func draw() {
        lines.append(Self.clip(script.title, to: width))
        lines.append("")
        header(\.name)
        header(\.role)
        lines.append(String(lifelines()))
        for item in script.items { draw(item) }
    }

    private mutating func header(_ text: KeyPath<DiagramScript.Participant, String>) {
        var row = Array(repeating: Character(" "), count: width)
        for participant in script.participants {
            let label = participant[keyPath: text]
            let start = min(max(0, column(participant.label) - label.count / 2), width - label.count)
            put(label, at: start, in: &row)
        }
        lines.append(String(row))
    }

    private mutating func draw(_ item: DiagramScript.Item) {
        switch item {
        case let .section(title):
            let text = "==[ \(title) ]"
            lines.append(Self.clip(text + String(repeating: "=", count: max(0, width - text.count)), to: width))
        case let .request(from, server, text):
            arrow(from: column(from), to: column(server), text: text, fill: "-")
        case let .reply(to, server, text):
            arrow(from: column(server), to: column(to), text: text, fill: ".")
        case let .note(on, text, warning):
            note(text, at: column(on), warning: warning)
        case let .highlight(items):
            items.forEach { draw($0) }
        case let .summary(texts):
            lines.append(String(lifelines()))
            lines.append("")
            texts.forEach { lines += Self.wrap($0, to: width) }
        }
    }

    /// `|-- text ---->|` (or `|<.. text ....|`); a text too long for the span goes on a line above.
    private mutating func arrow(from start: Int, to end: Int, text: String, fill: Character) {
        let low = min(start, end), high = max(start, end)
        var row = lifelines()
        for position in (low + 1)..<high { row[position] = fill }
        if end > start { row[high - 1] = ">" } else { row[low + 1] = "<" }
        let labelStart = low + 4
        if labelStart + text.count + 2 <= high - 1 {
            put(" \(text) ", at: labelStart - 1, in: &row)
        } else {
            let room = text.count <= width - 2 ? max(width - low - 2, text.count) : width - low - 2
            for part in Self.wrap(text, to: room) {
                var above = lifelines()
                put(" \(part)", at: min(low + 1, width - part.count - 1), in: &above)
                lines.append(String(above))
            }
        }
        lines.append(String(row))
    }

    /// A note to the right of the lifeline, wrapped (to the left when there is no room on the right).
    private mutating func note(_ text: String, at position: Int, warning: Bool) {
        let body = warning ? text : "* " + text
        let indent = warning ? "   " : "  "
        if position + 2 + body.count > width, position - 2 - body.count >= 0 {
            var row = lifelines()
            put(body + " ", at: position - 2 - body.count, in: &row)
            lines.append(String(row))
            return
        }
        for (number, part) in Self.wrap(body, to: width - position - 2 - indent.count).enumerated() {
            var row = lifelines()
            put(" " + (number == 0 ? "" : indent) + part, at: position + 1, in: &row, clip: true)
            lines.append(String(row))
        }
    }

    private func column(_ label: String) -> Int { columns[label] ?? 0 }

    private func lifelines() -> [Character] {
        var row = Array(repeating: Character(" "), count: width)
        for position in columns.values { row[position] = "|" }
        return row
    }

    private func put(_ text: String, at start: Int, in row: inout [Character], clip: Bool = false) {
        let shown = clip ? Self.clip(text, to: width - start) : text
        for (offset, character) in shown.enumerated() where start + offset < row.count && start + offset >= 0 {
            row[start + offset] = character
        }
    }

    /// Splits `text` at spaces into lines of at most `limit` characters (a longer word is cut).
    static func wrap(_ text: String, to limit: Int) -> [String] {
        let limit = max(limit, 8)
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if candidate.count <= limit || current.isEmpty {
                current = candidate
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        lines.append(current)
        return lines.map { clip($0, to: limit) }
    }

    /// `text`, cut with `...` to at most `limit` characters.
    static func clip(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return limit > 3 ? String(text.prefix(limit - 3)) + "..." : String(text.prefix(max(0, limit)))
    }
}

extension String {
    var trailingSpacesDropped: String {
        String(reversed().drop { $0 == " " }.reversed())
    }
}

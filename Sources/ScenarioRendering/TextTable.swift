/// Left-aligned columns separated by two spaces; a cell may carry an ANSI colour that does not
/// count towards the width.
struct TextTable {
    struct Cell {
        var text: String
        var color: ANSIColor?
    }

    var header: [String]
    var rows: [[Cell]] = []

    func render(colored: Bool) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.text.count) }
        }
        func line(_ cells: [Cell]) -> String {
            var out = ""
            for (index, cell) in cells.enumerated() {
                let last = index == cells.count - 1
                let padding = last ? "" : String(repeating: " ", count: widths[index] - cell.text.count + 2)
                out += (colored ? cell.color.map { $0.wrap(cell.text) } ?? cell.text : cell.text) + padding
            }
            return out
        }
        var out = line(header.map { Cell(text: $0) }) + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }
}

/// The few colours lampctl uses on a terminal.
enum ANSIColor: String {
    case green = "32", red = "31", yellow = "33", bold = "1"

    func wrap(_ text: String) -> String { "\u{1B}[\(rawValue)m\(text)\u{1B}[0m" }
}

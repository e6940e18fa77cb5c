/// Writes a `DiagramScript` as Mermaid `sequenceDiagram` markup.
///
/// Mermaid ends a message at `;`, `#` or a newline and starts a comment at `%%`, so message text
/// escapes those (and `<`, `>`) as entity codes (`#59;`, `#35;`, ...), which Mermaid decodes.
struct MermaidDiagram {
    let script: DiagramScript
    /// The Mermaid id of each participant, by label.
    private let ids: [String: String]

    init(_ script: DiagramScript) {
        self.script = script
        var ids: [String: String] = [:]
        for (position, participant) in script.participants.enumerated() {
            let wanted = participant.label
            ids[participant.label] = Self.isPlainID(wanted) && !ids.values.contains(wanted) ? wanted : "P\(position + 1)"
        }
        self.ids = ids
    }

    func render() -> String {
        var lines = ["sequenceDiagram", "    title " + Self.escape(script.title)]
        for participant in script.participants {
            let name = participant.isDatabase ? participant.name : "\(participant.name) (\(participant.role))"
            lines.append("    participant \(id(participant.label)) as \(Self.escape(name))")
        }
        for item in script.items { lines += render(item, indent: "    ") }
        return lines.joined(separator: "\n") + "\n"
    }

    private func render(_ item: DiagramScript.Item, indent: String) -> [String] {
        switch item {
        case let .section(title):
            return [indent + "Note over \(spanAll): \(Self.escape(title))"]
        case let .request(from, server, text):
            return [indent + "\(id(from))->>\(id(server)): \(Self.escape(text))"]
        case let .reply(to, server, text):
            return [indent + "\(id(server))-->>\(id(to)): \(Self.escape(text))"]
        case let .note(on, text, _):
            return [indent + "Note over \(id(on)): \(Self.escape(text))"]
        case let .highlight(items):
            return [indent + "rect rgb(255, 221, 221)"]
                + items.flatMap { render($0, indent: indent + "    ") }
                + [indent + "end"]
        case let .summary(texts):
            return texts.map { indent + "Note over \(spanAll): \(Self.escape($0))" }
        }
    }

    private func id(_ label: String) -> String { ids[label] ?? label }

    /// `first,last`: a note across every lifeline.
    private var spanAll: String {
        guard let first = script.participants.first, let last = script.participants.last else { return "" }
        return first == last ? id(first.label) : "\(id(first.label)),\(id(last.label))"
    }

    /// Mermaid's lexer matches keywords before names (`end`, `note`, `participant`, ...), also as a
    /// prefix, so an id must be a plain word that does not start with one.
    static func isPlainID(_ id: String) -> Bool {
        guard let first = id.first, first.isASCII, first.isLetter,
              id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else { return false }
        let lower = id.lowercased()
        return !keywords.contains { lower.hasPrefix($0) }
    }

    private static let keywords = [
        "participant", "actor", "create", "destroy", "box", "loop", "rect", "opt", "alt", "else", "par", "and",
        "critical", "option", "break", "end", "left", "right", "links", "link", "properties", "details", "over",
        "note", "activate", "deactivate", "title", "acc", "sequencediagram", "autonumber", "off",
    ]

    /// Text safe in a message, note, title or alias: one line, entity codes for the characters Mermaid would act on.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "#": out += "#35;"
            case ";": out += "#59;"
            case "%": out += "#37;"
            case "<": out += "#60;"
            case ">": out += "#62;"
            case "\n", "\r", "\t": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}

/// Text made safe for HTML and XML. Content escapes `&`, `<` and `>`; an attribute value (in
/// double quotes) also `"`, and tab, newline and carriage return as character references, which
/// a parser keeps (as written it would turn them into spaces). The characters XML 1.0 forbids
/// (C0 controls other than tab, newline and carriage return, DEL, U+FFFE, U+FFFF) become U+FFFD,
/// so a document stays well formed whatever a scenario file holds.
enum MarkupText {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let forbidden = scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF
                out.unicodeScalars.append(forbidden ? "\u{FFFD}" : scalar)
            }
        }
        return out
    }

    /// `"value"`, quotes included.
    static func attribute(_ text: String) -> String {
        var out = "\""
        for scalar in escape(text).unicodeScalars {
            switch scalar {
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Text made safe for HTML and XML: content and attribute values (both escape `&`, `<`, `>`,
/// `"` and `'`), with the characters XML 1.0 forbids (C0 controls other than tab, newline and
/// carriage return, and U+FFFE/U+FFFF) replaced by U+FFFD so the document stays well formed.
enum MarkupText {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let forbidden = scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF
                out.unicodeScalars.append(forbidden ? "\u{FFFD}" : scalar)
            }
        }
        return out
    }

    /// An attribute value in double quotes; tab, newline and carriage return as character
    /// references, which a parser keeps (it would turn them into spaces as written).
    static func attribute(_ text: String) -> String {
        var out = "\""
        for character in escape(text) {
            switch character {
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\r\n": out += "&#13;&#10;"
            case "\t": out += "&#9;"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}

/// The lexical rule for lamp names on step lines (`S1 create a on`, `S2 switch-on a`, `S1 expect a on`).
///
/// A lamp name is a lowercase ASCII letter followed by lowercase letters, digits or `_` (at most
/// 63 characters: no `-`, so it never looks like an argument such as `for-update`), and is none of
/// the words any step's argument values use (`on`, `off`, `status`, `id`, `commit`, ...). It stands
/// right after the keyword of a step that acts on a lamp (``StepKeyword/takesLamp``); a step without
/// one acts on the unnamed lamp, which a `create` without a name makes.
public enum LampName {
    /// The words no lamp may be called: every word of every step's argument values.
    public static var reservedWords: Set<String> {
        Set(StepKeyword.allCases.flatMap { $0.arguments.values.flatMap { $0.split(separator: " ").map(String.init) } })
    }

    /// True when `text` has a lamp name's shape (whether or not it is reserved).
    public static func isShaped(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first), text.unicodeScalars.count <= 63 else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// True when `text` is a valid lamp name.
    public static func isValid(_ text: String) -> Bool {
        isShaped(text) && !reservedWords.contains(text)
    }

    /// How the grammar reference shows the optional name.
    public static let syntax = "[LAMP]"
}

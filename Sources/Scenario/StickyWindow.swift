/// `sticky=DURATION`: Rails' rule for a session that reads a replica: after the session's own
/// write it reads the primary for a while (Rails' default: 2 s), so that it sees what it wrote.
/// Only the session that wrote is routed; another session's commit (the application's) is not.
public enum StickyWindow {
    /// `2s`, `500ms` (a whole number, then `ms` or `s`) as milliseconds; nil for anything else.
    public static func milliseconds(_ text: String) -> Int? {
        let (digits, scale): (Substring, Int)
        if text.hasSuffix("ms") {
            (digits, scale) = (text.dropLast(2), 1)
        } else if text.hasSuffix("s") {
            (digits, scale) = (text.dropLast(1), 1000)
        } else {
            return nil
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
              let value = Int(digits), value <= 3_600_000 / scale else { return nil }
        return value * scale
    }
}

extension Unicode.Scalar {
    /// `U+0435 CYRILLIC SMALL LETTER IE`: the code point and its Unicode name (or alias), for messages.
    public var codePointAndName: String {
        let hex = String(value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        guard let name = properties.name ?? properties.nameAlias else { return code }
        return code + " " + name
    }
}

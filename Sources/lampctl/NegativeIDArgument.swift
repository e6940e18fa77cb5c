/// `lampctl switch-on -1`: ArgumentParser reads `-1` as a short option and says the id is missing.
/// For the commands that take a lamp id, a negative whole number before `--` is moved behind one,
/// so it reaches the id's own check, which says what an id must be.
enum NegativeIDArgument {
    static let commands: Set<String> = ["read", "switch-on"]

    static func normalize(_ arguments: [String]) -> [String] {
        guard let command = arguments.first, commands.contains(command) else { return arguments }
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        let negatives = arguments[..<end].filter(isNegativeNumber)
        guard !negatives.isEmpty else { return arguments }
        let before = arguments[..<end].filter { !isNegativeNumber($0) }
        let after = end < arguments.endIndex ? Array(arguments[(end + 1)...]) : []
        return before + ["--"] + negatives + after
    }

    static func isNegativeNumber(_ argument: String) -> Bool {
        argument.count > 1 && argument.hasPrefix("-") && argument.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
    }
}

/// What may follow a keyword on a scenario line: nothing, or one word from a fixed list.
public enum StepArguments: Sendable, Equatable {
    /// The keyword stands alone.
    case none
    /// At most one of these words.
    case optional([String])
    /// Exactly one of these words.
    case required([String])

    /// The words allowed (empty for `.none`).
    public var values: [String] {
        switch self {
        case .none: return []
        case let .optional(values), let .required(values): return values
        }
    }

    /// How the grammar reference spells it: `""`, `[on|off]` or `on|off`.
    public var syntax: String {
        switch self {
        case .none: return ""
        case let .optional(values): return "[" + values.joined(separator: "|") + "]"
        case let .required(values): return values.joined(separator: "|")
        }
    }

    /// `none`, `optional` or `required` (the grammar's JSON form).
    public var kind: String {
        switch self {
        case .none: return "none"
        case .optional: return "optional"
        case .required: return "required"
        }
    }
}

extension Array where Element == String {
    /// `a`, `a or b`, `a, b or c`: for messages that list what was expected.
    public var spokenList: String {
        guard count > 1 else { return first ?? "" }
        return dropLast().joined(separator: ", ") + " or " + (last ?? "")
    }
}

import LampApp

/// A step in recorded results is its scenario-file text (`select populate-existing`), so a
/// recording reads like the file it came from.
extension StepAction: Codable {
    /// Recorded text that is not a step.
    struct UnknownStep: Error, CustomStringConvertible {
        var text: String
        var description: String { "'\(text)' is not a scenario step" }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard let action = Self.recorded(words.first ?? "", argument: words.count > 1 ? words[1] : nil) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: UnknownStep(text: text).description))
        }
        self = action
    }

    /// The inverse of `text` for the steps that exist.
    private static func recorded(_ keyword: String, argument: String?) -> StepAction? {
        let candidates: [StepAction] = [
            .create(status: argument), .select(populateExisting: argument == "populate-existing"), .refresh, .expire,
            .expireAll, .close, .commit, .rollback, .flush, .sqlRead, .switchOn(argument.flatMap(AppMode.init(rawValue:))),
            .expect(argument ?? ""),
            .read(attribute: argument?.hasPrefix("id") == true ? .id : .status, awaited: argument?.hasSuffix(" awaitable") == true),
            .get, .selectForUpdate, .refreshAttribute(argument ?? ""), .expunge, .add, .set(argument ?? ""),
            .reportLSN, .waitLSN, .pauseReplay, .resumeReplay, .selectAll, .merge,
            .delete(argument.flatMap(AppMode.init(rawValue:))), .beginNested, .release, .rollbackNested,
            .filter, .iterate, .lockingGet, .save, .atomic, .endAtomic, .abortAtomic,
        ]
        return candidates.first { $0.text == ([keyword] + (argument.map { [$0] } ?? [])).joined(separator: " ") }
    }
}

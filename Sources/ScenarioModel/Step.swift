/// One step: a session and what it does, with the line it came from.
public struct Step: Sendable, Equatable, Codable {
    public var session: String
    public var action: StepAction
    /// The lamp the step names (nil: the unnamed lamp, or a step that acts on no lamp).
    public var lamp: String?
    public var line: Int

    public init(session: String, action: StepAction, lamp: String? = nil, line: Int = 0) {
        self.session = session
        self.action = action
        self.lamp = lamp
        self.line = line
    }
}

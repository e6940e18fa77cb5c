/// A step that cannot run as written (e.g. `wait-lsn` before any `report-lsn`).
public struct ScenarioStepError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) { self.description = description }
}

/// A step whose precondition is the user's server configuration, not lampctl or the scenario:
/// `synchronous_commit=remote_apply` on a primary with no synchronous standby. The case's
/// outcome is `not applicable`, with what to set; the other cases run.
public struct NotApplicable: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) { self.description = description }
}

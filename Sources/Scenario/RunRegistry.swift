import Synchronization

/// What a running scenario has created on the server (schemas, backends), readable from another
/// thread, so that a signal handler can terminate the run's backends and drop its schemas.
public final class RunRegistry: Sendable {
    private struct State {
        var schemas: [String] = []
        var backends: [Int32] = []
        var current = "start-up"
    }

    private let state = Mutex(State())

    public init() {}

    public func add(schema: String) { state.withLock { $0.schemas.append(schema) } }
    public func remove(schema: String) { state.withLock { $0.schemas.removeAll { $0 == schema } } }
    public func add(backend: Int32) { state.withLock { $0.backends.append(backend) } }

    /// Where the run is: `case refresh, read committed, ...: line 14: S2 switch-on`.
    public var current: String {
        get { state.withLock { $0.current } }
        set { state.withLock { $0.current = newValue } }
    }

    /// The schemas not yet dropped.
    public var schemas: [String] { state.withLock { $0.schemas } }
    /// Every backend pid the run opened.
    public var backends: [Int32] { state.withLock { $0.backends } }
}

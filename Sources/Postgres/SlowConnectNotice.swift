import Dispatch
import Synchronization

/// Runs `report` once, on another thread, unless cancelled within `after` seconds: feedback
/// for a wait that is taking long (a server that does not answer).
final class SlowConnectNotice: Sendable {
    private static let pending = 0, cancelled = 1, fired = 2
    private let state = Atomic<Int>(SlowConnectNotice.pending)

    init(after seconds: Double, report: @escaping @Sendable () -> Void) {
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
            if state.compareExchange(expected: Self.pending, desired: Self.fired, ordering: .acquiringAndReleasing).exchanged {
                report()
            }
        }
    }

    /// Stops a report that has not been made yet; true when it had already been made.
    @discardableResult
    func cancel() -> Bool {
        !state.compareExchange(expected: Self.pending, desired: Self.cancelled, ordering: .acquiringAndReleasing).exchanged
    }
}

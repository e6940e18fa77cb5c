import Dispatch
import Synchronization

/// Runs `report` once, on another thread, unless cancelled within `after` seconds: feedback
/// for a wait that is taking long (a server that does not answer).
final class SlowConnectNotice: Sendable {
    private let cancelled = Atomic<Bool>(false)

    init(after seconds: Double, report: @escaping @Sendable () -> Void) {
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
            if !cancelled.load(ordering: .acquiring) { report() }
        }
    }

    func cancel() {
        cancelled.store(true, ordering: .releasing)
    }
}

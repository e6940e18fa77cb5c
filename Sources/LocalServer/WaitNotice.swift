/// Feedback for a wait: says once what it is waiting for, when the wait passes a second.
///
/// Not Sendable: one waiting loop owns it and calls `tick()` as it polls.
final class WaitNotice {
    static let threshold = 1.0

    private let message: String
    private let report: (@Sendable (String) -> Void)?
    private let start = MonotonicClock.now
    private var said = false

    init(_ message: String, report: (@Sendable (String) -> Void)?) {
        self.message = message
        self.report = report
    }

    /// Reports the message if the wait has lasted over the threshold and it was not said yet.
    func tick() {
        guard !said, let report, MonotonicClock.now - start > Self.threshold else { return }
        said = true
        report(message)
    }
}

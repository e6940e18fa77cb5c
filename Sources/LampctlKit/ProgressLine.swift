import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Progress on standard error for a run that takes longer than `delay`: `12 of 96 cases (8 s)`
/// on one line, redrawn in place, while standard error is a terminal; nothing otherwise. The
/// line is cleared while the run's own output is written (`paused`), when the run ends
/// (`finish`), and when a signal ends the process (`clearCurrent`), so it never mixes with
/// what a user reads or pipes.
// @unchecked: `timer` is set once in init (a dispatch source is safe to use from any thread);
// everything that changes is in `state`, behind its mutex.
public final class ProgressLine: @unchecked Sendable {
    private struct State {
        var done = 0
        var shown = false
        var finished = false
        var paused = false
    }

    private let planned: Int
    private let started = DispatchTime.now()
    private let delay: Double
    private let state = Mutex(State())
    private let timer: DispatchSourceTimer?

    private static let current = Mutex<ProgressLine?>(nil)

    /// After how long a run shows progress: 2 s, or `LAMPCTL_PROGRESS_AFTER` seconds (for tests).
    public static var defaultDelay: Double {
        getenv("LAMPCTL_PROGRESS_AFTER").flatMap { Double(String(cString: $0)) } ?? 2
    }

    /// `enabled`: draw at all (default: standard error is a terminal).
    public init(planned: Int, enabled: Bool = Terminal.isTerminal(2), delay: Double = ProgressLine.defaultDelay) {
        self.planned = planned
        self.delay = delay
        guard enabled, planned > 0 else {
            timer = nil
            return
        }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "lampctl.progress"))
        self.timer = timer
        timer.schedule(deadline: .now() + delay, repeating: 0.5)
        timer.setEventHandler { [weak self] in self?.draw() }
        timer.resume()
        Self.current.withLock { $0 = self }
    }

    /// One more case finished.
    public func caseFinished() {
        state.withLock { $0.done += 1 }
        draw()
    }

    /// Runs `body` (which writes the run's own output) with the line cleared and not redrawn.
    public func paused(_ body: () -> Void) {
        state.withLock { state in
            if state.shown { Self.erase() }
            state.shown = false
            state.paused = true
        }
        body()
        state.withLock { $0.paused = false }
    }

    /// Clears the line for good.
    public func finish() {
        timer?.cancel()
        state.withLock { state in
            if state.shown { Self.erase() }
            state.shown = false
            state.finished = true
        }
        Self.current.withLock { if $0 === self { $0 = nil } }
    }

    /// Clears the line of the run in progress, if any (before a signal's message).
    public static func clearCurrent() {
        current.withLock { $0 }?.finish()
    }

    private func draw() {
        guard timer != nil else { return }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        guard elapsed >= delay else { return }
        state.withLock { state in
            guard !state.finished, !state.paused else { return }
            writeStandardError("\r\u{1B}[K\(state.done) of \(planned) cases (\(Int(elapsed)) s)")
            state.shown = true
        }
    }

    private static func erase() { writeStandardError("\r\u{1B}[K") }
}

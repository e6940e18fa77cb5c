public import Testing
import Foundation

/// The trait every suite carries: its tests run on `TestThreadPool` (never blocking Swift's
/// cooperative pool) under a time limit.
///
/// When a test case outlives its limit, the watchdog names it on stderr and ends the test
/// process with status 1: a hang fails in seconds with the test's name instead of eating CI's
/// time (a blocked libpq call or child wait cannot be cancelled from outside, so the process
/// is the unit that can be stopped).
public struct BoundedTest: SuiteTrait, TestTrait, TestScoping {
    /// How long one test case may take.
    public var limit: Duration

    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> BoundedTest? {
        testCase == nil ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        try await withTaskExecutorPreference(TestThreadPool.shared) {
            // Started on the pool's thread: the limit counts the test's own time, not its wait for a thread.
            let watchdog = Watchdog(test: test, limit: limit)
            defer { watchdog.cancel() }
            try await function()
        }
    }
}

extension Trait where Self == BoundedTest {
    /// Runs off the cooperative pool with the default limit of 90 seconds a test case (the
    /// slowest alone take about 15 s; a loaded machine, another build or test run beside, makes
    /// them several times slower, and a hang still fails in a minute and a half).
    public static var bounded: BoundedTest { BoundedTest(limit: .seconds(90)) }

    /// Runs off the cooperative pool with a limit of `seconds` a test case.
    public static func bounded(seconds: Int) -> BoundedTest { BoundedTest(limit: .seconds(seconds)) }
}

/// Ends the test process when a test case outlives its limit, naming it.
// @unchecked: the timer is set up in init and then only cancelled.
final class Watchdog: @unchecked Sendable {
    private let timer: DispatchSourceTimer

    init(test: Test, limit: Duration) {
        let name = "\(test.displayName ?? test.name) (\(test.sourceLocation.fileID):\(test.sourceLocation.line))"
        let seconds = Double(limit.components.seconds)
        timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + seconds)
        timer.setEventHandler {
            let message = "error: test \(name) exceeded its time limit of \(Int(seconds)) s; ending the test process\n"
            FileHandle.standardError.write(Data(message.utf8))
            TestProcess.killAll()
            exit(1)
        }
        timer.resume()
    }

    func cancel() { timer.cancel() }
}

import Foundation

/// The threads test bodies run on: a fixed set of plain threads, not Swift's cooperative pool.
///
/// lampctl's library is synchronous (libpq calls, child processes, sleeps), and so are the tests
/// that drive it. Run on the cooperative pool (two threads on a 2-core machine), they starve
/// Swift Testing's own tasks: every suite then reports finishing at the same instant and a
/// time limit cannot fire. `BoundedTest` runs each test case with this executor as its task
/// executor preference, so a test may block here while the cooperative pool stays free.
/// The width (`LAMPCTL_TEST_WIDTH`, default 8) is also how many tests run at once.
public final class TestThreadPool: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` is only touched with `condition` locked; the threads are never released.
    public static let shared = TestThreadPool(width: TestThreadPool.configuredWidth)

    /// `LAMPCTL_TEST_WIDTH` when it is a positive number, else 8.
    static var configuredWidth: Int {
        if let text = ProcessInfo.processInfo.environment["LAMPCTL_TEST_WIDTH"], let width = Int(text), width > 0 {
            return width
        }
        return 8
    }

    public let width: Int
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var next = 0

    init(width: Int) {
        self.width = width
        for index in 0..<width {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "lampctl-test-\(index)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    /// Runs jobs in the order they came, for ever.
    private func work() {
        while true {
            condition.lock()
            while next == jobs.count { condition.wait() }
            let job = jobs[next]
            next += 1
            if next > 1024, next * 2 > jobs.count {
                jobs.removeFirst(next)
                next = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

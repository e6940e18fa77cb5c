import Foundation
import Glibc

/// A run's claim on the embedded standby's replay delay: runs on one home never change each
/// other's `recovery_min_apply_delay` mid-run. A run holds `replay-delay-<ms>.lock` (shared) in
/// the standby's directory for as long as it runs; another run that wants a different delay
/// waits until no run holds one (saying once what it waits for), and gives up after `timeout`
/// with a line saying which delay the running one uses. Released by `release()` or on exit.
public final class ReplayDelayHold {
    private var lock: FileLock?

    init(_ lock: FileLock) { self.lock = lock }

    deinit { release() }

    public func release() {
        lock?.close()
        lock = nil
    }
}

extension LocalServer {
    /// Claims the embedded standby's replay delay `milliseconds` for this run (see ReplayDelayHold).
    public static func holdReplayDelay(_ config: LocalServerConfiguration, milliseconds: Int,
                                       timeout: Double = 120) throws -> ReplayDelayHold {
        let paths = StateDirectory(home: config.home, cluster: .standby)
        let mine = paths.base + "/replay-delay-\(milliseconds).lock"
        let deadline = MonotonicClock.now + timeout
        var said = false
        while true {
            let guardLock = try FileLock(paths.base + "/replay-delay.lock")
            _ = try guardLock.lock(.exclusive, timeout: timeout)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: paths.base)) ?? []
            var busy: Int?
            for name in names where name.hasPrefix("replay-delay-") && name.hasSuffix(".lock") && paths.base + "/" + name != mine {
                let other = try FileLock(paths.base + "/" + name)
                if try other.tryLock(.exclusive) {
                    other.close()
                } else {
                    busy = Int(name.dropFirst("replay-delay-".count).dropLast(".lock".count))
                    break
                }
            }
            if busy == nil {
                let hold = try FileLock(mine)
                _ = try hold.tryLock(.shared)
                guardLock.close()
                return ReplayDelayHold(hold)
            }
            guardLock.close()
            let running = busy.map { "\($0) ms" } ?? "another delay"
            if MonotonicClock.now > deadline {
                throw LocalServerError("another lampctl run on this home reads the standby with a replay delay of \(running), "
                    + "which this run's \(milliseconds) ms would change under it: wait for it, or run with --replay-delay \(busy.map { "\($0)ms" } ?? "as it does")")
            }
            if !said {
                config.onWait?("waiting for another lampctl run on this home, which reads the standby with a replay delay of \(running) (this run asks \(milliseconds) ms)")
                said = true
            }
            MonotonicClock.sleep(0.1)
        }
    }
}

import CLibpq
#if canImport(Glibc)
import Glibc
#endif

/// One statement's exchange with the server: what `PQexecParams` does (send, then collect the
/// results and return the last), except that before blocking it busy-polls the socket for a
/// short while.
///
/// A local server answers a simple statement in tens of microseconds, less than it takes to
/// wake a processor that went idle because the client blocked (on the 2-core VM measured, a
/// round trip over connections used in turn cost 0.10 ms blocking). Polling keeps this
/// processor awake for at most `spinBudget`, then blocks as libpq would. Never on one processor,
/// where polling would only delay the server.
enum Exchange {
    /// How long to poll before blocking, in seconds.
    static let spinBudget = 0.000_2
    static let spins = sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1

    /// Sends with `send` (a `PQsendQuery...` call); the last result, or nil if nothing could be
    /// sent (then `PQerrorMessage` says why).
    ///
    /// `whileWaiting`, when given, is called every few milliseconds (backing off to 100 ms) while
    /// the statement has not answered after the first 10 ms; if it throws, the statement is
    /// cancelled (libpq's `PQcancel`), its results are discarded, and that error is rethrown.
    static func run(_ handle: OpaquePointer, whileWaiting: (() throws -> Void)? = nil, send: () -> Int32) throws -> OpaquePointer? {
        guard send() == 1 else { return nil }
        if spins { spin(handle) }
        if let whileWaiting { try wait(handle, whileWaiting) }
        // As PQexecFinish: keep the last result; stop early on COPY or a lost connection.
        var last: OpaquePointer?
        while let result = PQgetResult(handle) {
            if let last { PQclear(last) }
            last = result
            let status = PQresultStatus(result)
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH
                || PQstatus(handle) == CONNECTION_BAD { break }
        }
        return last
    }

    /// Polls the socket until the statement's result is complete, asking `check` between polls.
    private static func wait(_ handle: OpaquePointer, _ check: () throws -> Void) throws {
        var interval: Int32 = 10
        while PQisBusy(handle) == 1 {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, interval)
            if ready > 0 {
                guard PQconsumeInput(handle) == 1 else { return }  // trouble: PQgetResult reports it
                continue
            }
            if ready < 0 && errno != EINTR { return }
            interval = min(interval * 2, 100)
            do {
                try check()
            } catch {
                cancel(handle)
                while let result = PQgetResult(handle) { PQclear(result) }
                throw error
            }
        }
    }

    /// Asks the server to cancel the statement in progress (the answer arrives as its result).
    private static func cancel(_ handle: OpaquePointer) {
        guard let cancel = PQgetCancel(handle) else { return }
        defer { PQfreeCancel(cancel) }
        var message = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &message, Int32(message.count))
    }

    /// Reads whatever has arrived until a result is complete, the budget is spent, or the
    /// connection has trouble (left for `PQgetResult` to report).
    private static func spin(_ handle: OpaquePointer) {
        let deadline = now() + spinBudget
        while PQisBusy(handle) == 1 {
            guard PQconsumeInput(handle) == 1, now() < deadline else { return }
        }
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

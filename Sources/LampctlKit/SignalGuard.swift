import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT, SIGTERM and SIGHUP into an orderly exit: `cleanup` runs on a queue of its own
/// (the main thread may be blocked in libpq), then the process exits with 130, 143 or 129.
/// A second SIGINT while `cleanup` runs ends the process at once (exit 130); what the clean-up
/// did not finish is left for the next run's sweep (see `AbandonedRunSchemas`).
// @unchecked: `sources` is written only in init; `cleanupStarted` is read and written only on
// `queue`, which is serial.
public final class SignalGuard: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "lampctl.signals")
    private let cleanupQueue = DispatchQueue(label: "lampctl.signal-cleanup")
    private var cleanupStarted = false

    /// The signals handled, each with its exit status.
    static let handled: [(signal: Int32, status: ExitStatus)] = [
        (SIGINT, .interrupted), (SIGTERM, .terminated), (SIGHUP, .hangUp),
    ]

    /// Installs the handlers; `cleanup` gets the signal number and returns the line to print (or nil).
    public init(cleanup: @escaping @Sendable (Int32) -> String?) {
        for (signalNumber, status) in Self.handled {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [self, cleanupQueue] in
                if cleanupStarted {
                    guard signalNumber == SIGINT else { return }  // the clean-up is bounded: let it finish
                    writeStandardError("lampctl: interrupted again (SIGINT): stopped without finishing clean-up; the next run drops what is left\n")
                    _exit(ExitStatus.interrupted.rawValue)
                }
                cleanupStarted = true
                ProgressLine.clearCurrent()
                TemporaryOutputFile.discardForExit()
                cleanupQueue.async {
                    if let line = cleanup(signalNumber) { writeStandardError("lampctl: \(line)\n") }
                    _exit(status.rawValue)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    private static let installed = Mutex<SignalGuard?>(nil)

    /// Installs process-wide handlers once; they live until the process exits. SIGPIPE is
    /// ignored: a closed stdout shows up as a failed write, so a run can still drop its schema.
    public static func install(cleanup: @escaping @Sendable (Int32) -> String?) {
        signal(SIGPIPE, SIG_IGN)
        installed.withLock { current in
            if current == nil { current = SignalGuard(cleanup: cleanup) }
        }
    }

    /// A name for the signal in messages.
    public static func name(_ signalNumber: Int32) -> String {
        switch signalNumber {
        case SIGINT: "interrupted (SIGINT)"
        case SIGHUP: "hung up (SIGHUP)"
        default: "terminated (SIGTERM)"
        }
    }
}

/// Writes to stderr without Foundation buffering (safe from the signal queue).
public func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { buffer in
        _ = write(2, buffer.baseAddress, buffer.count)
    }
}

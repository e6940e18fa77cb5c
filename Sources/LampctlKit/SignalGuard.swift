import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT and SIGTERM into an orderly exit: `cleanup` runs on a background queue (the main
/// thread may be blocked in libpq), then the process exits with 130 or 143.
public final class SignalGuard: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "lampctl.signals")

    /// Installs the handlers; `cleanup` gets the signal number and returns the line to print (or nil).
    public init(cleanup: @escaping @Sendable (Int32) -> String?) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler {
                TemporaryOutputFile.discardForExit()
                let line = cleanup(signalNumber)
                if let line { writeStandardError("lampctl: \(line)\n") }
                _exit(signalNumber == SIGINT ? ExitStatus.interrupted.rawValue : ExitStatus.terminated.rawValue)
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
        signalNumber == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)"
    }
}

/// Writes to stderr without Foundation buffering (safe from the signal queue).
public func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { buffer in
        _ = write(2, buffer.baseAddress, buffer.count)
    }
}

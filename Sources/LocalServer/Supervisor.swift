import Foundation
import Glibc

/// The supervisor process (`lampctl _supervise ...`): starts the postmaster as its child,
/// reports readiness, and stops it when no client holds `clients.lock` any more (on-demand
/// mode) or when told to (SIGTERM/SIGINT/SIGHUP; the only way out of kept mode).
///
/// It runs in its own session with stdin/stdout on /dev/null and stderr on `<home>/server.log`.
/// It inherits from its launcher, already locked, the descriptor of `supervisor.lock` (held for
/// its whole life, so "lock is held" means "a supervisor is alive") and the write end of a pipe
/// on which it reports `ready` or `error <message>`.
struct Supervisor {
    struct Options {
        var home = ""
        var cluster = ClusterName.primary
        var binDir = ""
        var keep = false
        var notifyFD: Int32 = -1
        var lockFD: Int32 = -1
    }

    /// Signals the supervisor takes synchronously with `sigtimedwait` (blocked from birth).
    static let signals: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGCHLD]
    /// SIGUSR1 switches an on-demand supervisor to kept mode.
    static let keepSignal = SIGUSR1
    /// How often an on-demand supervisor checks for remaining clients.
    static let clientPollInterval = 0.02
    static let readinessPollInterval = 0.005
    static let startTimeout = 120.0

    let options: Options
    let paths: StateDirectory
    private var notifyFD: Int32
    var state: SupervisorState
    private var signalSet = sigset_t()

    static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--home": options.home = iterator.next() ?? ""
            case "--cluster":
                guard let cluster = iterator.next().flatMap(ClusterName.named) else { return nil }
                options.cluster = cluster
            case "--bindir": options.binDir = iterator.next() ?? ""
            case "--keep": options.keep = true
            case "--notify-fd": options.notifyFD = iterator.next().flatMap { Int32($0) } ?? -1
            case "--lock-fd": options.lockFD = iterator.next().flatMap { Int32($0) } ?? -1
            default: return nil
            }
        }
        return options.home.isEmpty || options.binDir.isEmpty ? nil : options
    }

    init(options: Options) {
        self.options = options
        notifyFD = options.notifyFD
        paths = StateDirectory(home: options.home, cluster: options.cluster)
        state = SupervisorState(pid: getpid(), postmasterPID: nil, kept: options.keep, phase: .starting)
        sigemptyset(&signalSet)
        for signal in Self.signals { sigaddset(&signalSet, signal) }
        pthread_sigmask(SIG_BLOCK, &signalSet, nil)
    }

    /// Runs to the end of the server's life; the process exit code.
    mutating func run() -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        if notifyFD >= 0 { _ = fcntl(notifyFD, F_SETFD, FD_CLOEXEC) }
        let supervisorLock = FileLock(adopting: options.lockFD, path: paths.supervisorLock)
        var clients: FileLock?
        var upstream: FileLock?
        // Order matters: the state file goes first, then the supervisor lock, and only then the
        // clients lock, so a client that gets in after us never sees a half-dead supervisor. A
        // standby's supervisor is a client of the primary until the very end.
        defer {
            supervisorLock.close()
            clients?.close()
            upstream?.close()
        }
        log("supervisor \(getpid()) starting (\(state.kept ? "kept" : "on-demand"))")
        do {
            try state.write(to: paths.stateFile)
            if paths.cluster != .primary {
                let primaryClients = try FileLock(StateDirectory(home: options.home).clientsLock)
                upstream = primaryClients
                guard try primaryClients.tryLock(.shared) else {
                    return finish(1, notify: "error the primary is being reset")
                }
            }
            let clientsLock = try FileLock(paths.clientsLock)
            clients = clientsLock
            let account = try ServerAccount.resolve()
            let postmaster = try startPostmaster(account)
            state.postmasterPID = postmaster
            guard try waitUntilReady(postmaster) else {
                stop(postmaster)
                return finish(1, notify: "error stopped while starting")
            }
            state.phase = .ready
            try state.write(to: paths.stateFile)
            notify("ready \(postmaster)")
            log("postmaster \(postmaster) ready; \(paths.connectionString)")
            if let code = watch(postmaster, clients: clientsLock) {
                log("postmaster \(postmaster) exited with status \(code)")
                return finish(1, notify: nil)
            }
            state.phase = .stopping
            try? state.write(to: paths.stateFile)
            stop(postmaster)
            log("postmaster \(postmaster) stopped")
            return finish(0, notify: nil)
        } catch {
            log("\(error)")
            return finish(1, notify: "error \(error)")
        }
    }

    private func startPostmaster(_ account: ServerAccount) throws -> pid_t {
        let binaries = ServerBinaries(directory: options.binDir)
        let arguments = Postmaster.arguments(dataDirectory: paths.dataDirectory,
                                             socketDirectory: paths.socketDirectory, port: paths.port)
        // The kernel sends SIGINT (fast shutdown) to the postmaster if this process dies.
        let (program, argv) = try account.command(binaries.postgres, arguments, parentDeathSignal: "SIGINT")
        return try Spawn.spawn(program, argv, fileActions: [
            .open(target: 0, path: "/dev/null", flags: O_RDONLY),
            .dup(source: 2, target: 1),
        ])
    }

    /// Polls `postmaster.pid` every 5 ms. False if told to stop meanwhile; throws if the
    /// postmaster exits or takes too long.
    private mutating func waitUntilReady(_ postmaster: pid_t) throws -> Bool {
        let deadline = MonotonicClock.now + Self.startTimeout
        while !Postmaster.isReady(paths.dataDirectory, pid: postmaster) {
            if let code = Spawn.poll(postmaster) {
                let reason = paths.lastLogError().map { ": \($0)" } ?? ""
                throw LocalServerError("the PostgreSQL server exited while starting (status \(code); log \(paths.logFile))\(reason)")
            }
            if MonotonicClock.now > deadline {
                stop(postmaster)
                throw LocalServerError("the PostgreSQL server did not become ready within \(Int(Self.startTimeout)) s: see \(paths.logFile)")
            }
            switch nextSignal(timeout: Self.readinessPollInterval) {
            case SIGTERM, SIGINT, SIGHUP: return false
            case Self.keepSignal: state.kept = true
            default: break
            }
        }
        return true
    }

    /// Waits until the server should stop (nil) or the postmaster has died (its exit code).
    private mutating func watch(_ postmaster: pid_t, clients: FileLock) -> Int32? {
        while true {
            if let code = Spawn.poll(postmaster) { return code }
            if !state.kept, (try? clients.tryLock(.exclusive)) == true {
                log("no clients left")
                return nil
            }
            switch nextSignal(timeout: state.kept ? 1.0 : Self.clientPollInterval) {
            case SIGTERM, SIGINT, SIGHUP:
                log("stop requested")
                return nil
            case Self.keepSignal where !state.kept:
                state.kept = true
                try? state.write(to: paths.stateFile)
                log("switched to kept mode")
            default: break
            }
        }
    }

    /// Stops the postmaster (see `StopEscalation`) and reaps it.
    private func stop(_ postmaster: pid_t) {
        _ = StopEscalation.run(postmaster, isGone: { Spawn.poll(postmaster) != nil },
                               pause: { _ = nextSignal(timeout: $0 / 2) },
                               onIgnored: { log("postmaster \(postmaster) ignored signal \($0)") })
        _ = Spawn.wait(postmaster)
    }

    private func nextSignal(timeout: Double) -> Int32 {
        var ts = timespec(tv_sec: Int(timeout), tv_nsec: Int((timeout - Double(Int(timeout))) * 1e9))
        var set = signalSet
        return sigtimedwait(&set, nil, &ts)
    }

    private mutating func finish(_ code: Int32, notify message: String?) -> Int32 {
        if let message { notify(message) }
        if let current = SupervisorState.read(from: paths.stateFile), current.pid == getpid() {
            unlink(paths.stateFile)
        }
        log("supervisor \(getpid()) exiting")
        return code
    }

    /// Reports to the launcher once; later calls do nothing.
    private mutating func notify(_ message: String) {
        guard notifyFD >= 0 else { return }
        let line = message.replacingOccurrences(of: "\n", with: " ") + "\n"
        let fd = notifyFD
        _ = line.withCString { write(fd, $0, strlen($0)) }
        close(fd)
        notifyFD = -1
    }

    func log(_ message: String) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let stamp = formatter.string(from: Date())
        FileHandle.standardError.write(Data("\(stamp) lampctl[\(getpid())]: \(message)\n".utf8))
    }
}

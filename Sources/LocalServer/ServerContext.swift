import Glibc

/// A configuration resolved for the client-side operations: paths and the server's user.
struct ServerContext {
    let configuration: LocalServerConfiguration
    let paths: StateDirectory
    let account: ServerAccount

    init(_ configuration: LocalServerConfiguration, cluster: ClusterName = .primary) throws {
        self.configuration = configuration
        paths = StateDirectory(home: configuration.home, cluster: cluster)
        account = try ServerAccount.resolve()
    }

    /// Creates the home if needed (it must be reachable by the server user). A new home is
    /// only created once the server programs are known to exist, so a failed first use leaves
    /// nothing behind.
    func prepare() throws {
        if access(paths.home, F_OK) != 0 {
            _ = try ServerBinaries.located(override: configuration.binDir)
        }
        try paths.prepareHome(for: account)
    }

    /// Takes a lock on `path`, saying (through `onWait`) what it waits for when that takes
    /// over a second: `holder` describes who holds it.
    func lock(_ path: String, _ mode: FileLock.Mode, holder: String) throws -> FileLock {
        let lock = try FileLock(path)
        if try lock.tryLock(mode) { return lock }
        let notice = WaitNotice("waiting for \(holder) (\(path))", report: configuration.onWait)
        while try !lock.tryLock(mode) {
            notice.tick()
            MonotonicClock.sleep(0.01)
        }
        return lock
    }
}

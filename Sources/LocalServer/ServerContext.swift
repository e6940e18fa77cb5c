import Glibc

/// A configuration resolved for the client-side operations: paths and the server's user.
struct ServerContext {
    let configuration: LocalServerConfiguration
    let paths: StateDirectory
    let account: ServerAccount

    init(_ configuration: LocalServerConfiguration) throws {
        self.configuration = configuration
        paths = StateDirectory(home: configuration.home)
        account = try ServerAccount.resolve()
    }

    /// Creates the home if needed (it must be reachable by the server user). A new home is
    /// only created once the server programs are known to exist, so a failed first use leaves
    /// nothing behind.
    func prepare() throws {
        if access(paths.home, F_OK) != 0 {
            _ = try ServerBinaries.locate(override: configuration.binDir)
        }
        try paths.prepareHome(for: account)
    }

    func lock(_ path: String, _ mode: FileLock.Mode) throws -> FileLock {
        let lock = try FileLock(path)
        try lock.lock(mode)
        return lock
    }
}

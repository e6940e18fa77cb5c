import Glibc

extension LocalServer {
    /// How long `reset` and `stop` wait for the clients of a cluster to finish before refusing.
    static let clientsTimeout = 5.0

    /// Takes a cluster's `clients.lock` exclusively (no lampctl invocation holds a lease on it,
    /// and none can get one until the lock is closed), waiting up to `clientsTimeout`; throws,
    /// naming `action` (and `alternative`, when there is one), when another invocation uses it.
    static func lockOutClients(_ context: ServerContext, action: String, or alternative: String? = nil) throws -> FileLock {
        let clients = try FileLock(context.paths.clientsLock)
        guard try clients.lock(.exclusive, timeout: clientsTimeout) else {
            clients.close()
            throw LocalServerError(
                "the local server is in use by another lampctl invocation: \(action) when that has finished"
                + (alternative.map { " (\($0))" } ?? ""))
        }
        return clients
    }
}

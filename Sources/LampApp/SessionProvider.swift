public import LampSession

/// Where the application gets its session for one request (FastAPI's `Depends(get_db)`).
///
/// The default opens the application's own session and closes it after the request; a test can
/// override it to hand over its own session, which the application must then leave open.
public struct SessionProvider {
    let acquire: () throws -> any ORMSession
    let release: (any ORMSession) throws -> Void

    public init(acquire: @escaping () throws -> any ORMSession, release: @escaping (any ORMSession) throws -> Void) {
        self.acquire = acquire
        self.release = release
    }

    /// The application's own session, closed when the request ends.
    public static func own(_ make: @escaping () throws -> any ORMSession) -> SessionProvider {
        SessionProvider(acquire: make, release: { try $0.close() })
    }

    /// The dependency override: the request uses `session` and leaves it open.
    public static func shared(_ session: any ORMSession) -> SessionProvider {
        SessionProvider(acquire: { session }, release: { _ in })
    }
}

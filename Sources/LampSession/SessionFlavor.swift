public import Postgres

/// Which ORM's rules a session follows. Each flavour is one `ORMSession` type; a new ORM (an
/// async session, an ORM without an identity map) adds a case here and its type.
public enum SessionFlavor: String, Sendable, Codable, CaseIterable {
    /// SQLAlchemy 2.x's synchronous `Session`: identity map, autobegin, expiry, lazy loads.
    case sqlalchemy
    /// SQLAlchemy 2.x's `AsyncSession`: the same rules, but reading an expired attribute without
    /// `await` raises `MissingGreenlet` (nothing is sent; the session counts as in a transaction).
    case sqlalchemyAsync = "sqlalchemy-async"

    /// A new session of this flavour over `connection`, recording into `trace`.
    /// `external`: bind it to that connection's outer transaction (SQLAlchemy's join_transaction_mode).
    public func makeSession(connection: Connection, options: SessionOptions, trace: Trace,
                            external: ExternalTransaction? = nil) -> any ORMSession {
        switch self {
        case .sqlalchemy: return SQLAlchemySession(connection: connection, options: options, trace: trace, external: external)
        case .sqlalchemyAsync:
            return SQLAlchemySession(connection: connection, options: options, trace: trace, loadsImplicitly: false, external: external)
        }
    }

    /// The flavour a test session driven by `driver` follows.
    public func driven(by driver: SessionDriver) -> SessionFlavor {
        driver == .async ? .sqlalchemyAsync : self
    }
}

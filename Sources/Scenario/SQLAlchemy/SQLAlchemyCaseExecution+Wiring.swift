import LampApp
import LampSession

/// The fixture recipe's wiring of a SQLAlchemy case: the test's sessions, the session each application
/// request gets (its own, the test's, or one bound to the shared connection's outer transaction).
extension SQLAlchemyCaseExecution {
    func options(_ declaration: SessionDeclaration, defaultExpireOnCommit: Bool) -> SessionOptions {
        SessionOptions(expireOnCommit: declaration.expireOnCommit ?? defaultExpireOnCommit,
                       isolation: declaration.isolation ?? settings.isolation,
                       label: declaration.name, autoflush: declaration.autoflush ?? true)
    }

    mutating func testSession(_ declaration: SessionDeclaration) throws -> any ORMSession {
        if let session = testSessions[declaration.name] { return session }
        let cluster = readCluster(declaration)
        let connection = cluster == declaration.cluster
            ? try pool.connection(for: declaration.name, cluster: cluster)
            : try pool.writerConnection(for: declaration.name)
        sessionClusters[declaration.name] = cluster
        let session = flavor.driven(by: settings.driver).makeSession(
            connection: connection, options: options(declaration, defaultExpireOnCommit: settings.expireOnCommit), trace: trace,
            external: try externalTransaction())
        testSessions[declaration.name] = session
        return session
    }

    mutating func provider(for declaration: SessionDeclaration) throws -> SessionProvider {
        if case let .applicationUsing(target) = declaration.role, let used = scenario.declaration(target) {
            return .shared(try testSession(used))
        }
        if settings.fixture.sharesTestSession { return .shared(try testSession(scenario.testSession)) }
        let pool = self.pool, trace = self.trace, flavor = self.flavor
        // An application session left open takes SQLAlchemy's default, expire_on_commit=true.
        let options = options(declaration, defaultExpireOnCommit: true)
        if let external = try externalTransaction() {
            return .own { flavor.makeSession(connection: external.connection, options: options, trace: trace, external: external) }
        }
        return .own {
            flavor.makeSession(connection: try pool.connection(for: declaration.name, cluster: declaration.cluster),
                               options: options, trace: trace)
        }
    }

    /// Under the join recipes: the outer transaction on the test session's connection (made once).
    mutating func externalTransaction() throws -> ExternalTransaction? {
        guard let mode = settings.fixture.joinMode else { return nil }
        if let external { return external }
        let test = scenario.testSession
        let made = ExternalTransaction(connection: try pool.connection(for: test.name, cluster: test.cluster), mode: mode,
                                       isolation: test.isolation ?? settings.isolation)
        external = made
        return made
    }

}

import LampSession

/// What the application does at the end of "switch on": commit (correct) or only flush (the bug
/// where the application forgets to commit and its session's end rolls the UPDATE back).
public enum AppMode: String, Sendable, CaseIterable, Codable {
    case commit
    case flush
}

/// The application's "switch on lamp N" endpoint, used by `lampctl switch-on` and by scenarios.
public enum SwitchOn {
    /// What the endpoint reports: the status before the update and after its refresh.
    public struct Response: Sendable, Equatable, Codable {
        public var id: Int64
        public var before: String?
        public var after: String?
    }

    /// Loads the lamp through a session from `provider`, sets `on`, commits (or only flushes),
    /// refreshes, and releases the session. Throws `LampAppError.lampNotFound` when there is no such lamp.
    public static func handle(id: Int64, provider: SessionProvider, mode: AppMode = .commit) throws -> Response {
        let session = try provider.acquire()
        var released = false
        defer { if !released { try? provider.release(session) } }
        guard let lamp = try session.select(Lamp.model, key: id) else {
            throw LampAppError.lampNotFound(id)
        }
        let before = try lamp.status()
        lamp.setStatus("on")
        switch mode {
        case .commit: try session.commit()
        case .flush: try session.flush()
        }
        try session.refresh(lamp)
        let after = try lamp.status()
        released = true
        try provider.release(session)
        return Response(id: id, before: before, after: after)
    }
}

import LampSession

/// The application's "delete lamp N" endpoint, used by scenarios' `delete` step: loads the lamp,
/// `session.delete`, then commits (or only flushes), and releases the session.
public enum DeleteLamp {
    /// Throws `LampAppError.lampNotFound` when there is no such lamp.
    public static func handle(id: Int64, provider: SessionProvider, mode: AppMode = .commit) throws {
        let session = try provider.acquire()
        var released = false
        defer { if !released { try? provider.release(session) } }
        guard let lamp = try session.select(Lamp.model, key: id) else {
            throw LampAppError.lampNotFound(id)
        }
        try session.delete(lamp)
        switch mode {
        case .commit: try session.commit()
        case .flush: try session.flush()
        }
        released = true
        try provider.release(session)
    }
}

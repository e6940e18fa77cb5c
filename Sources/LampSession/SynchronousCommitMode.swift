/// A session's `synchronous_commit`, as scenario files set it on an application session.
public enum SynchronousCommitMode: String, Sendable, Codable, CaseIterable {
    /// COMMIT returns once the synchronous standby has applied it (read-your-writes on the standby).
    case remoteApply = "remote_apply"
    /// COMMIT returns before the WAL is flushed.
    case off
}

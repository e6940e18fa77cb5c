import LampApp
import LampSession
@testable import Scenario

/// The expected observations of the reference flow, derived by hand from the session rules in
/// the brief (independently of the session code), for one strategy under one setting.
enum ReferenceOracle {
    struct Expected: Equatable, CustomStringConvertible {
        var object: String
        var transaction: String
        var committed: String
        var sameObject: Bool
        var description: String { "object=\(object) transaction=\(transaction) committed=\(committed) same=\(sameObject)" }
    }

    /// The oracle has no rule for this strategy (a user scenario, or a new built-in without one).
    struct NoRule: Error, CustomStringConvertible {
        var strategy: String
        var description: String { "no oracle for \(strategy)" }
    }

    static func expected(strategy: String, isolation: IsolationLevel, expireOnCommit: Bool, app: AppMode) throws -> Expected {
        // What the application leaves committed.
        let committed = app == .commit ? "on" : "off"
        // S1's transaction began at step 2 (refresh), before the application's COMMIT: under
        // repeatable read and serializable its snapshot still shows 'off'; read committed sees each commit.
        let snapshotFrozen = isolation == .repeatableRead || isolation == .serializable
        let openTransactionSees = snapshotFrozen ? "off" : committed
        switch strategy {
        case "shared-session":
            // One session: the application's change (committed, or only flushed) is in S1 itself.
            return Expected(object: "on", transaction: "on", committed: committed, sameObject: true)
        case "none":
            // Loaded attribute kept; the row is discarded.
            return Expected(object: "off", transaction: openTransactionSees, committed: committed, sameObject: true)
        case "refresh", "expire", "expire-all", "populate-existing":
            // The object takes whatever S1's still-open transaction sees.
            return Expected(object: openTransactionSees, transaction: openTransactionSees, committed: committed, sameObject: true)
        case "close":
            // ROLLBACK, identity map emptied: a new transaction and a new object.
            return Expected(object: committed, transaction: committed, committed: committed, sameObject: false)
        case "rollback":
            // A transaction is open (since step 2): ROLLBACK, expire all; new transaction at the read.
            return Expected(object: committed, transaction: committed, committed: committed, sameObject: true)
        case "commit":
            // COMMIT ends the transaction; the object is expired only with expire_on_commit.
            return Expected(object: expireOnCommit ? committed : "off", transaction: committed, committed: committed, sameObject: true)
        default:
            throw NoRule(strategy: strategy)
        }
    }
}

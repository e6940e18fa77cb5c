import LampSession
import ScenarioModel

/// The parenthesised reasons explanations give for what a session did: the rules of the
/// session flavour the case ran under. Another ORM's rules read differently.
struct RuleNotes {
    /// Why a query's row did not replace a loaded attribute.
    var queryKeepsLoaded: String
    /// Why a query's row filled an expired attribute.
    var expiredFilledFromRow: String
    /// Why refresh or populate-existing replaced a loaded attribute.
    var overwrites: String
    /// Why rollback expired objects whatever the commit setting.
    var rollbackExpiresAll: String

    /// Whether the session keeps an identity map (SQLAlchemy) or makes a copy per query (Django).
    var hasIdentityMap = true

    init(_ flavor: SessionFlavor, orm: ORM = .sqlalchemy) {
        if orm == .django {
            queryKeepsLoaded = "Django keeps no identity map"
            expiredFilledFromRow = "Django keeps no identity map"
            overwrites = "refresh_from_db() overwrites the instance's fields"
            rollbackExpiresAll = "instances are not touched by a rollback"
            hasIdentityMap = false
            return
        }
        switch flavor {
        case .sqlalchemy, .sqlalchemyAsync:
            queryKeepsLoaded = "a query keeps loaded attributes and fills only expired ones"
            expiredFilledFromRow = "expired attributes are loaded from the row"
            overwrites = "refresh and populate_existing overwrite loaded attributes"
            rollbackExpiresAll = "it expires everything, whatever expire_on_commit says"
        }
    }
}

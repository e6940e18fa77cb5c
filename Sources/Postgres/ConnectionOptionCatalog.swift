import CLibpq

/// What libpq itself says about its connection keywords (`PQconndefaults`): which ones hold
/// secrets (display character `*`, e.g. `password`, `sslpassword`) and which environment
/// variables it reads for them (`PGHOST`, `PGSERVICE`, ...).
public enum ConnectionOptionCatalog {
    /// One keyword as libpq describes it.
    public struct Option: Sendable, Equatable {
        public var keyword: String
        public var environmentVariable: String?
        public var isSecret: Bool
        /// What `PQconndefaults` resolved for it in this process (environment, service file,
        /// compiled-in default); nil when unset. Secret values are never kept.
        public var defaultValue: String? = nil
    }

    /// Every keyword this libpq knows, read once: the catalogue from `PQconninfoParse("")`
    /// (which cannot fail on a service file), the resolved values from `PQconndefaults`.
    public static let options: [Option] = {
        let defaults = resolvedDefaults()
        guard let catalogue = PQconninfoParse("", nil) else { return fallback }
        defer { PQconninfoFree(catalogue) }
        var found: [Option] = []
        var option = catalogue
        while let keyword = option.pointee.keyword {
            let name = String(cString: keyword)
            let secret = option.pointee.dispchar.map { String(cString: $0).hasPrefix("*") } ?? false
            found.append(Option(
                keyword: name,
                environmentVariable: option.pointee.envvar.map { String(cString: $0) },
                isSecret: secret,
                defaultValue: secret ? nil : defaults[name]))
            option += 1
        }
        return found
    }()

    /// What libpq would fill in from the environment and its defaults; empty when that fails
    /// (e.g. `PGSERVICE` names a service that does not exist).
    private static func resolvedDefaults() -> [String: String] {
        guard let defaults = PQconndefaults() else { return [:] }
        defer { PQconninfoFree(defaults) }
        var values: [String: String] = [:]
        var option = defaults
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { values[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        return values
    }

    /// Keywords whose values are never shown (libpq's `*` display character), plus `password`
    /// and `sslpassword` in case an old libpq does not mark them.
    public static let secretKeywords: Set<String> = {
        Set(options.filter(\.isSecret).map(\.keyword)).union(["password", "sslpassword"])
    }()

    /// The environment variables libpq reads for connection keywords.
    public static let environmentVariables: [String] = {
        options.compactMap(\.environmentVariable)
    }()

    /// The libpq variables set (non-empty) in `environment`, in libpq's order.
    public static func environmentVariablesSet(in environment: [String: String]) -> [String] {
        environmentVariables.filter { environment[$0].map { !$0.isEmpty } ?? false }
    }

    /// The variables that say which database to connect to (host, port, database, user, service).
    /// The others (`PGAPPNAME`, `PGCONNECT_TIMEOUT`, `PGSSLMODE`, `PGOPTIONS`, ...) only say how:
    /// libpq applies them to whatever lampctl connects to, the embedded server included.
    public static let choosingVariables: Set<String> = ["PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"]

    /// The variables in `choosingVariables` set (non-empty) in `environment`, in libpq's order.
    public static func choosingVariablesSet(in environment: [String: String]) -> [String] {
        environmentVariablesSet(in: environment).filter(choosingVariables.contains)
    }

    /// A `key='value'` connection string of what `environment` sets through libpq's variables
    /// (secrets left out: libpq still reads those, e.g. `PGPASSWORD`, itself when connecting).
    public static func connectionString(from environment: [String: String]) -> String {
        options.compactMap { option -> String? in
            guard !option.isSecret, let variable = option.environmentVariable,
                  let value = environment[variable], !value.isEmpty else { return nil }
            let quoted = value.replacingAll("\\", with: "\\\\").replacingAll("'", with: "\\'")
            return "\(option.keyword)='\(quoted)'"
        }.joined(separator: " ")
    }

    private static let fallback = [
        Option(keyword: "password", environmentVariable: "PGPASSWORD", isSecret: true),
        Option(keyword: "sslpassword", environmentVariable: nil, isSecret: true),
    ]
}

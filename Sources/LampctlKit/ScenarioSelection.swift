import Foundation
public import LampApp
public import LampSession
public import Scenario

/// Turns `scenario` command-line values into definitions and dimensions.
public enum ScenarioSelection {
    /// The values each list option takes (for help, completion and "did you mean").
    public static var strategyValues: [String] { BuiltInScenarios.names + BuiltInScenarios.fixtureNames + ["all"] }
    public static let isolationValues = ["read-committed", "repeatable-read", "serializable", "server-default", "all"]
    public static let expireOnCommitValues = ["true", "false", "both"]
    public static let appValues = ["commit", "flush", "both"]
    /// The `--file` name that means standard input.
    public static let standardInput = "-"

    /// `--fix a,b|all` (built-ins; with `replica`, the replica built-ins) plus `--file` paths, in
    /// that order; duplicates removed.
    /// `orm`: the ORM `--orm` named (nil: none; `all` is then SQLAlchemy's strategies, a name any
    /// ORM's built-in). A run is of one ORM: definitions of two are refused.
    public static func definitions(fix: String?, files: [String], replica: Bool = false, orm: ORM? = nil) throws -> [ScenarioDefinition] {
        var definitions: [ScenarioDefinition] = []
        let names = fix.map(splitList) ?? (files.isEmpty ? ["all"] : [])
        if replica, let orm, orm != .sqlalchemy {
            throw LampctlError("--replica: the replica scenarios are SQLAlchemy's; \(orm.displayName) has none yet", status: .usage)
        }
        let strategies = replica ? BuiltInScenarios.replicaNames : BuiltInScenarios.names(for: orm ?? .sqlalchemy)
        let available = replica ? strategies
            : orm.map(BuiltInScenarios.runnableNames(for:)) ?? ORM.allCases.flatMap(BuiltInScenarios.runnableNames(for:))
        let expanded = names.contains("all") ? strategies : names
        for name in expanded {
            guard available.contains(name), let definition = try BuiltInScenarios.definition(named: name) else {
                let hint = BuiltInScenarios.replicaNames.contains(name) && !replica ? " (a replica scenario: add --replica)" : ""
                throw LampctlError(
                    "unknown strategy '\(name)'\(Suggestion.clause(for: name, among: available + ["all"])): expected one of \(available.joined(separator: ", ")) or all\(hint)",
                    status: .usage)
            }
            if !definitions.contains(where: { $0.name == definition.name && $0.origin == definition.origin }) {
                definitions.append(definition)
            }
        }
        if files.filter({ $0 == standardInput }).count > 1 {
            throw LampctlError("--file -: standard input can be read only once", status: .usage)
        }
        for path in files {
            definitions.append(try load(path, orm: orm))
        }
        try checkOneORM(definitions, asked: orm)
        return definitions
    }

    /// The ORM of a run's definitions (the one `--orm` named, else theirs), refusing a mix.
    public static func checkOneORM(_ definitions: [ScenarioDefinition], asked: ORM?) throws {
        let orms = definitions.map(\.orm).uniqued()
        if let asked, let other = definitions.first(where: { $0.orm != asked }) {
            throw LampctlError("\(other.name) is a \(other.orm.displayName) scenario; the run asked for --orm \(asked.rawValue)", status: .usage)
        }
        guard orms.count > 1 else { return }
        let groups = orms.map { orm in "\(definitions.filter { $0.orm == orm }.map(\.name).joined(separator: ", ")) (\(orm.displayName))" }
        throw LampctlError("a run is of one ORM: \(groups.joined(separator: " and ")); run them separately", status: .usage)
    }

    /// The ORM a run's cases follow.
    public static func orm(of definitions: [ScenarioDefinition], asked: ORM?) -> ORM {
        asked ?? definitions.first?.orm ?? .sqlalchemy
    }

    /// Whether any definition has a session that reads the standby (the run then needs one).
    public static func needsStandby(_ definitions: [ScenarioDefinition]) -> Bool {
        definitions.contains(where: \.readsStandby)
    }

    /// The isolation levels a run that reads a hot standby can use: PostgreSQL refuses
    /// serializable there (SQLSTATE 0A000). Asked for by name, that is a usage error; as part of
    /// `all`, it is left out, with a note to print.
    public static func standbyIsolations(_ levels: [IsolationLevel], requested: String,
                                         definitions: [ScenarioDefinition]) throws -> (levels: [IsolationLevel], note: String?) {
        guard needsStandby(definitions), levels.contains(.serializable) else { return (levels, nil) }
        let reason = "PostgreSQL refuses serializable on a hot standby (SQLSTATE 0A000)"
        guard splitList(requested).contains("all") else {
            throw LampctlError("--isolation serializable: \(reason); use read-committed, repeatable-read or server-default", status: .usage)
        }
        return (levels.filter { $0 != .serializable }, "lampctl: --isolation all runs read committed and repeatable read here: \(reason)")
    }

    /// The note for a run that asked for join recipes while some of its scenarios read the standby
    /// (those run the independent recipe only; see `ScenarioDefinition.fixtureIsOpen`).
    public static func standbyFixtureNote(_ recipes: [FixtureRecipe], definitions: [ScenarioDefinition]) -> String? {
        let joined = recipes.filter { $0 != .independent }
        let pinned = definitions.filter { $0.readsStandby && $0.testSession.fixture == nil }.map(\.name)
        guard !joined.isEmpty, !pinned.isEmpty else { return nil }
        return "lampctl: \(pinned.joined(separator: ", ")) read the standby: independent recipe only "
            + "(\(joined.map(\.rawValue).joined(separator: ", ")) would share one connection to the primary)"
    }

    /// Reads and parses a scenario file (see `ScenarioFileReader`); `-` is standard input.
    public static func load(_ path: String, orm: ORM? = nil) throws -> ScenarioDefinition {
        if path == standardInput { return try loadStandardInput(orm: orm) }
        return try ScenarioParser(file: path, orm: orm).parse(bytes: try ScenarioFileReader.read(path))
    }

    /// Reads a scenario from standard input (at most the parser's maximum size).
    static func loadStandardInput(orm: ORM? = nil) throws -> ScenarioDefinition {
        let name = "<stdin>"
        var bytes: [UInt8] = []
        do {
            while bytes.count <= ScenarioParser.maximumSize,
                  let chunk = try FileHandle.standardInput.read(upToCount: 65536), !chunk.isEmpty {
                bytes += chunk
            }
        } catch {
            throw LampctlError("--file -: cannot read standard input: \(error.localizedDescription)", status: .ioError)
        }
        if bytes.count > ScenarioParser.maximumSize {
            throw ScenarioParseError(file: name, line: 1, column: 1,
                                     message: "input is too large (more than \(ScenarioParser.maximumSize) bytes)")
        }
        return try ScenarioParser(file: name, orm: orm).parse(bytes: bytes)
    }

    public static func isolations(_ value: String) throws -> [IsolationLevel] {
        let names = splitList(value)
        if names.contains("all") { return [.readCommitted, .repeatableRead, .serializable] }
        return try names.map { name in
            guard let level = IsolationLevel(argument: name) else {
                throw LampctlError(
                    "unknown isolation '\(name)'\(Suggestion.clause(for: name, among: isolationValues)): expected read-committed, repeatable-read, serializable, server-default or all",
                    status: .usage)
            }
            return level
        }
    }

    public static func expireOnCommit(_ value: String) throws -> [Bool] {
        try splitList(value).flatMap { name -> [Bool] in
            switch name {
            case "true": return [true]
            case "false": return [false]
            case "both": return [false, true]
            default: throw LampctlError("unknown expire-on-commit '\(name)'\(Suggestion.clause(for: name, among: expireOnCommitValues)): expected true, false or both", status: .usage)
            }
        }.uniqued()
    }

    public static func apps(_ value: String) throws -> [AppMode] {
        try splitList(value).flatMap { name -> [AppMode] in
            if name == "both" { return [.commit, .flush] }
            guard let mode = AppMode(rawValue: name) else {
                throw LampctlError("unknown app '\(name)'\(Suggestion.clause(for: name, among: appValues)): expected commit, flush or both", status: .usage)
            }
            return [mode]
        }.uniqued()
    }

    static func splitList(_ value: String) -> [String] {
        value.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
    }
}

extension Array where Element: Equatable {
    func uniqued() -> [Element] {
        var result: [Element] = []
        for element in self where !result.contains(element) { result.append(element) }
        return result
    }
}

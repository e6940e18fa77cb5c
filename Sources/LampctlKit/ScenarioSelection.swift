import Foundation
import LampApp
import LampSession
import Scenario

/// Turns `scenario` command-line values into definitions and dimensions.
public enum ScenarioSelection {
    /// `--fix a,b|all` (built-ins; with `replica`, the replica built-ins) plus `--file` paths, in
    /// that order; duplicates removed.
    public static func definitions(fix: String?, files: [String], replica: Bool = false) throws -> [ScenarioDefinition] {
        var definitions: [ScenarioDefinition] = []
        let names = fix.map(splitList) ?? (files.isEmpty ? ["all"] : [])
        let available = replica ? BuiltInScenarios.replicaNames : BuiltInScenarios.names
        let expanded = names.contains("all") ? available : names
        for name in expanded {
            guard available.contains(name), let definition = try BuiltInScenarios.definition(named: name) else {
                let hint = BuiltInScenarios.replicaNames.contains(name) && !replica ? " (a replica scenario: add --replica)" : ""
                throw LampctlError(
                    "unknown strategy '\(name)': expected one of \(available.joined(separator: ", ")) or all\(hint)",
                    status: .usage)
            }
            if !definitions.contains(where: { $0.name == definition.name && $0.origin == definition.origin }) {
                definitions.append(definition)
            }
        }
        for path in files {
            definitions.append(try load(path))
        }
        return definitions
    }

    /// Reads and parses a scenario file (size-checked before reading it all).
    /// Whether any definition has a session that reads the standby (the run then needs one).
    public static func needsStandby(_ definitions: [ScenarioDefinition]) -> Bool {
        definitions.contains { $0.sessions.contains { $0.cluster == ClusterSet.standby } }
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

    public static func load(_ path: String) throws -> ScenarioDefinition {
        let url = URL(fileURLWithPath: path)
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let attributes else { throw LampctlError("\(path): cannot read: no such file", status: .ioError) }
        if attributes[.type] as? FileAttributeType == .typeDirectory {
            throw LampctlError("\(path): is a directory, expected a scenario file", status: .ioError)
        }
        if let size = attributes[.size] as? Int, size > ScenarioParser.maximumSize {
            throw ScenarioParseError(file: path, line: 1, column: 1,
                                     message: "file is too large (\(size) bytes; at most \(ScenarioParser.maximumSize))")
        }
        guard let data = try? Data(contentsOf: url) else {
            throw LampctlError("\(path): cannot read", status: .ioError)
        }
        return try ScenarioParser(file: path).parse(bytes: Array(data))
    }

    public static func isolations(_ value: String) throws -> [IsolationLevel] {
        let names = splitList(value)
        if names.contains("all") { return [.readCommitted, .repeatableRead, .serializable] }
        return try names.map { name in
            guard let level = IsolationLevel(argument: name) else {
                throw LampctlError(
                    "unknown isolation '\(name)': expected read-committed, repeatable-read, serializable, server-default or all",
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
            default: throw LampctlError("unknown expire-on-commit '\(name)': expected true, false or both", status: .usage)
            }
        }.uniqued()
    }

    public static func apps(_ value: String) throws -> [AppMode] {
        try splitList(value).flatMap { name -> [AppMode] in
            if name == "both" { return [.commit, .flush] }
            guard let mode = AppMode(rawValue: name) else {
                throw LampctlError("unknown app '\(name)': expected commit, flush or both", status: .usage)
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

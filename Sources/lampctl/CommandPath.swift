import ArgumentParser
import LampctlKit
import Scenario
import Foundation

/// Where a command sits in lampctl's tree: for "See 'lampctl scenario --help'." and for
/// "did you mean" on a mistyped subcommand.
enum CommandPath {
    /// `lampctl scenario --help` for ScenarioCommand (the root's for an unknown type).
    static func helpPointer(for type: any ParsableCommand.Type) -> String {
        (path(to: type, from: Lampctl.self) ?? ["lampctl"]).joined(separator: " ") + " --help"
    }

    /// The "See '...'" pointer ArgumentParser put in its full message for a usage error.
    static func helpPointer(in fullMessage: String) -> String? {
        guard let start = fullMessage.range(of: "See '"),
              let end = fullMessage[start.upperBound...].range(of: "' for more information") else { return nil }
        return String(fullMessage[start.upperBound..<end.lowerBound])
    }

    /// " (did you mean 'start'?)" when the first word that is not a known subcommand of the
    /// command it follows is close to one, else "".
    static func subcommandSuggestion(_ arguments: [String]) -> String {
        var command: any ParsableCommand.Type = Lampctl.self
        for argument in arguments {
            if argument.hasPrefix("-") { return "" }
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty else { return "" }
            if let next = subcommands.first(where: { $0._commandName == argument }) {
                command = next
                continue
            }
            return Suggestion.clause(for: argument, among: subcommands.map { $0._commandName })
        }
        return ""
    }

    private static func path(to type: any ParsableCommand.Type, from root: any ParsableCommand.Type) -> [String]? {
        if ObjectIdentifier(root) == ObjectIdentifier(type) { return [root._commandName] }
        for child in root.configuration.subcommands {
            if let rest = path(to: type, from: child) { return [root._commandName] + rest }
        }
        return nil
    }
}

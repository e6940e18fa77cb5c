import Foundation
import ScenarioModel

/// The report lampctl watch prints after the command: a table of findings with the statements
/// they rest on, or JSON Lines (one object per finding, then one summary object).
public struct WatchReport: Sendable {
    public var command: String
    public var exitStatus: Int32
    public var log: WireLogSnapshot
    public var findings: [Finding]
    public var committedTransactions: Int
    /// Lines about what the watch could not see (a database it could not decode, TLS refused, ...).
    public var notes: [String]

    public init(command: String, exitStatus: Int32, log: WireLogSnapshot, findings: [Finding], committedTransactions: Int, notes: [String]) {
        self.command = command
        self.exitStatus = exitStatus
        self.log = log
        self.findings = findings
        self.committedTransactions = committedTransactions
        self.notes = notes
    }

    private func name(_ connection: Int?) -> String {
        guard let connection else { return "a connection lampctl did not watch" }
        let application = log.connections.first { $0.number == connection }?.applicationName ?? ""
        return "C\(connection)" + (application.isEmpty ? "" : " (\(application))")
    }

    private static func values(_ values: [String: String?]) -> String {
        values.keys.sorted().map { "\($0)=" + (values[$0]!.map { "'\($0)'" } ?? "NULL") }.joined(separator: ", ")
    }

    /// A statement on one line, at most 120 characters.
    private static func clipped(_ text: String?) -> String {
        let line = (text ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return line.count > 120 ? String(line.prefix(117)) + "..." : line
    }

    private static func time(_ seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded())
        return "+\(milliseconds / 1000).\(String(format3(milliseconds % 1000))) s"
    }

    private static func format3(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 3 - text.count)) + text
    }

    private func statement(_ connection: Int?, _ number: Int?) -> String {
        guard let connection, let number else { return "" }
        return " (C\(connection)#\(number))"
    }

    public func text() -> String {
        var out = "lampctl watch: `\(command)` exited \(exitStatus); \(log.connections.count) connection\(log.connections.count == 1 ? "" : "s"), "
            + "\(log.statements.count) statements, \(committedTransactions) committed transaction\(committedTransactions == 1 ? "" : "s") with row changes.\n"
        if log.connections.isEmpty {
            out += "The command never connected to the database lampctl watched (DATABASE_URL and PG* pointed at the relay).\n"
        }
        for note in notes { out += "note: \(note)\n" }
        if findings.isEmpty {
            out += "No stale reads: no connection kept or re-read an old value of a row another connection committed.\n"
        } else {
            out += "\n\(findings.count) finding\(findings.count == 1 ? "" : "s"):\n"
        }
        for finding in findings where finding.kind == .blocked {
            let waited = finding.before
            let until = finding.after.map { " until \(Self.time($0.at))" } ?? ", still waiting at the end"
            out += "\nblocked: \(name(finding.reader)) waited for a lock from \(Self.time(waited.at))\(until)\(statement(waited.connection, waited.statement)): "
                + Self.clipped(waited.values["statement"] ?? nil) + "\n"
            for holder in finding.holders {
                out += "  held by \(name(holder.connection))" + (holder.statement.map { ", whose last statement was C\(holder.connection ?? 0)#\($0): " } ?? " ")
                    + Self.clipped(holder.values["statement"] ?? holder.values["server pid"].map { "server pid " + ($0 ?? "") } ?? nil) + "\n"
            }
            out += "  why, and what to do: \(finding.fixes)\n"
        }
        for finding in findings where finding.kind != .blocked {
            let key = finding.key.map { "\($0.column)=\($0.value)" }.joined(separator: ", ")
            out += "\n\(finding.kind.rawValue): \(finding.table) \(key)\n"
            let before = finding.before
            let isolation = before.isolation.map { " in a \($0) transaction" } ?? ""
            if let committed = finding.committed {
                out += "  \(name(finding.reader)) received \(Self.values(before.values)) at \(Self.time(before.at))\(statement(before.connection, before.statement))\(isolation)\n"
                out += "  \(name(committed.connection)) committed \(Self.values(committed.values)) at \(Self.time(committed.at))\(statement(committed.connection, committed.statement))\n"
                if let after = finding.after {
                    let again = finding.kind == .oldSnapshot ? "the old value again" : "the committed value"
                    out += "  \(name(finding.reader)) received \(again), \(Self.values(after.values)), at \(Self.time(after.at))\(statement(after.connection, after.statement))"
                        + (after.isolation.map { " (\($0))" } ?? "") + "\n"
                } else {
                    out += "  \(name(finding.reader)) received nothing newer of this row afterwards\n"
                }
            } else {
                out += "  \(name(finding.reader)) received \(Self.values(before.values)) at \(Self.time(before.at))\(statement(before.connection, before.statement)) "
                    + "inside a transaction that wrote and then did not commit; no commit ever held this value\n"
            }
            out += "  why, and what to do: \(finding.fixes)\n"
        }
        if !log.connections.isEmpty {
            out += "\nConnections:\n"
            for connection in log.connections {
                let pid = (connection.backendPID == 0 ? "" : ", server pid \(connection.backendPID)")
                    + (connection.clientPID == 0 ? "" : ", client pid \(connection.clientPID)")
                out += "  C\(connection.number)  \(connection.applicationName.isEmpty ? "-" : connection.applicationName)  "
                    + "\(connection.user)@\(connection.database)\(pid), opened at \(Self.time(connection.openedAt))\n"
            }
        }
        return out
    }

    public func jsonLines() -> String {
        var out = ""
        for finding in findings {
            var fields: [(String, String)] = [
                ("schema_version", "1"), ("finding", JSONText.string(finding.kind.rawValue)), ("table", JSONText.string(finding.table)),
                ("key", "{" + finding.key.map { JSONText.string($0.column) + ": " + JSONText.string($0.value) }.joined(separator: ", ") + "}"),
                ("reader", connectionObject(finding.reader)),
                ("before", sighting(finding.before)),
            ]
            fields.append(("committed", finding.committed.map(sighting) ?? "null"))
            fields.append(("after", finding.after.map(sighting) ?? "null"))
            if finding.kind == .blocked { fields.append(("holders", "[" + finding.holders.map(sighting).joined(separator: ", ") + "]")) }
            fields.append(("fix", JSONText.string(finding.fixes)))
            out += "{" + fields.map { JSONText.string($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}\n"
        }
        let summary: [(String, String)] = [
            ("schema_version", "1"), ("summary", "true"), ("command", JSONText.string(command)), ("exit_status", String(exitStatus)),
            ("connections", String(log.connections.count)), ("statements", String(log.statements.count)),
            ("committed_transactions", String(committedTransactions)), ("findings", String(findings.count)),
            ("notes", "[" + notes.map(JSONText.string).joined(separator: ", ") + "]"),
        ]
        return out + "{" + summary.map { JSONText.string($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}\n"
    }

    private func connectionObject(_ number: Int?) -> String {
        guard let number, let info = log.connections.first(where: { $0.number == number }) else { return "null" }
        return "{\"connection\": \(number), \"application_name\": \(JSONText.string(info.applicationName)), \"user\": \(JSONText.string(info.user)), "
            + "\"database\": \(JSONText.string(info.database)), \"server_pid\": \(info.backendPID), "
            + "\"client_pid\": \(info.clientPID == 0 ? "null" : String(info.clientPID))}"
    }

    private func sighting(_ sighting: Finding.Sighting) -> String {
        let values = "{" + sighting.values.keys.sorted().map { JSONText.string($0) + ": " + (sighting.values[$0]!.map(JSONText.string) ?? "null") }.joined(separator: ", ") + "}"
        return "{\"connection\": \(sighting.connection.map(String.init) ?? "null"), \"statement\": \(sighting.statement.map(String.init) ?? "null"), "
            + "\"at_ms\": \(Int((sighting.at * 1000).rounded())), \"values\": \(values), \"isolation\": \(sighting.isolation.map(JSONText.string) ?? "null")}"
    }
}

import Foundation

/// One committed transaction as the built-in `test_decoding` plugin prints it: its xid, its
/// commit time, and its row changes (table, kind, each column's value as text).
public struct DecodedTransaction: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public enum Kind: String, Sendable { case insert = "INSERT", update = "UPDATE", delete = "DELETE" }
        /// `schema.table` as test_decoding prints it.
        public var table: String
        public var kind: Kind
        /// Column name to value (nil: NULL); for a DELETE only the key.
        public var columns: [String: String?]
    }

    public var xid: String
    /// Seconds since 1970 (the server's clock).
    public var committedAt: Double?
    public var changes: [Change]
    public var database: String

    /// Parses the `data` lines of `pg_logical_slot_get_changes(..., 'include-timestamp', 'on')`
    /// into transactions; lines it does not understand are skipped.
    public static func parse(_ lines: [String], database: String) -> [DecodedTransaction] {
        var transactions: [DecodedTransaction] = []
        var current: DecodedTransaction?
        for line in lines {
            if line.hasPrefix("BEGIN ") {
                current = DecodedTransaction(xid: String(line.dropFirst(6)), committedAt: nil, changes: [], database: database)
            } else if line.hasPrefix("COMMIT "), var transaction = current {
                if let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")") {
                    let inside = line[line.index(after: open)..<close]
                    transaction.committedAt = timestamp(inside.hasPrefix("at ") ? String(inside.dropFirst(3)) : String(inside))
                }
                transactions.append(transaction)
                current = nil
            } else if line.hasPrefix("table "), let change = change(line) {
                current?.changes.append(change)
            }
        }
        return transactions
    }

    /// `table public.t: UPDATE: id[integer]:1 status[text]:'on'`.
    static func change(_ line: String) -> Change? {
        let rest = line.dropFirst("table ".count)
        guard let colon = rest.range(of: ": ") else { return nil }
        let table = String(rest[..<colon.lowerBound])
        let afterTable = rest[colon.upperBound...]
        guard let kindEnd = afterTable.range(of: ":") else { return nil }
        guard let kind = Change.Kind(rawValue: String(afterTable[..<kindEnd.lowerBound])) else { return nil }
        var columns: [String: String?] = [:]
        var text = afterTable[kindEnd.upperBound...].drop { $0 == " " }
        if text.hasPrefix("old-key: ") {
            // The old key (REPLICA IDENTITY FULL or a changed key) comes first: keep only the new tuple.
            guard let newTuple = text.range(of: "new-tuple: ") else { return nil }
            text = text[newTuple.upperBound...]
        } else if text.hasPrefix("new-tuple: ") {
            text = text.dropFirst("new-tuple: ".count)
        }
        while !text.isEmpty {
            guard let open = text.firstIndex(of: "[") else { break }
            let name = unquoted(String(text[..<open]))
            guard let typeEnd = text[open...].range(of: "]:") else { break }
            text = text[typeEnd.upperBound...]
            if text.hasPrefix("'") {
                var value = ""
                var index = text.index(after: text.startIndex)
                while index < text.endIndex {
                    if text[index] == "'" {
                        let next = text.index(after: index)
                        if next < text.endIndex && text[next] == "'" {
                            value.append("'")
                            index = text.index(after: next)
                            continue
                        }
                        index = next
                        break
                    }
                    value.append(text[index])
                    index = text.index(after: index)
                }
                columns[name] = value
                text = text[index...]
            } else {
                let end = text.firstIndex(of: " ") ?? text.endIndex
                let token = String(text[..<end])
                columns[name] = token == "null" ? String?.none : token
                text = text[end...]
            }
            text = text.drop { $0 == " " }
        }
        return Change(table: table, kind: kind, columns: columns)
    }

    /// A column name as test_decoding quotes it (`"Status"`) without its quotes.
    static func unquoted(_ name: String) -> String {
        guard name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") else { return name }
        return String(name.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
    }

    /// `2026-12-06 16:40:00.123456+00` as seconds since 1970.
    static func timestamp(_ text: String) -> Double? {
        let parts = text.split(separator: " ")
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-").compactMap { Int($0) }
        var time = String(parts[1])
        var offsetSeconds = 0
        if let sign = time.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let offset = time[time.index(after: sign)...].split(separator: ":").compactMap { Int($0) }
            offsetSeconds = (offset.first ?? 0) * 3600 + (offset.count > 1 ? offset[1] * 60 : 0)
            if time[sign] == "-" { offsetSeconds = -offsetSeconds }
            time = String(time[..<sign])
        }
        let clock = time.split(separator: ":")
        guard date.count == 3, clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Double(clock[2]) else { return nil }
        // Days since 1970-01-01 (civil calendar).
        let (y, m, d) = (date[0] - (date[1] <= 2 ? 1 : 0), date[1], date[2])
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86_400 + hour * 3600 + minute * 60 - offsetSeconds) + second
    }
}

import Foundation
public import LampSession
public import Scenario

/// `lampctl matrix`'s options, read into values; a bad value is a usage error naming the choices.
public enum MatrixSelection {
    /// One isolation level.
    public static func isolation(_ value: String) throws -> IsolationLevel {
        guard let level = IsolationLevel(argument: value) else {
            throw LampctlError("--isolation \(value): not a level; choose read-committed, repeatable-read, serializable or server-default",
                               status: .usage)
        }
        return level
    }

    /// A comma list of ORMs, `all`, or empty (all), in lampctl's ORM order.
    public static func orms(_ value: String) throws -> [ORM] {
        let names = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if names.isEmpty || names.contains("all") { return ORM.allCases }
        for name in names where ORM(rawValue: name) == nil {
            throw LampctlError("--orm \(name): not an ORM lampctl has; choose \(ORM.allCases.map(\.rawValue).joined(separator: ", ")) or all",
                               status: .usage)
        }
        return ORM.allCases.filter { names.contains($0.rawValue) }
    }
}

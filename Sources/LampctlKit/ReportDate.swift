import Foundation

/// The date a report states: now, in UTC, ISO 8601 to the second; `SOURCE_DATE_EPOCH` (the
/// reproducible-builds convention, seconds since 1970) when set, so a report can be compared byte for byte.
public enum ReportDate {
    public static func now() -> String { now(environment: ProcessInfo.processInfo.environment) }

    public static func now(environment: [String: String]) -> String {
        let date = environment["SOURCE_DATE_EPOCH"].flatMap(Double.init).map { Date(timeIntervalSince1970: $0) } ?? Date()
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

/// The libpq options whose value is one of a fixed set. libpq checks them only when it connects,
/// so a typo (`sslmode=bogus`) looked like an unreachable server (exit 69); checked when a
/// connection string is parsed instead, it is the user's mistake (exit 64).
enum ConnectionOptionValues {
    static let allowed: [(keyword: String, values: [String])] = [
        ("sslmode", ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]),
        ("gssencmode", ["disable", "prefer", "require"]),
        ("channel_binding", ["disable", "prefer", "require"]),
        ("target_session_attrs", ["any", "read-write", "read-only", "primary", "standby", "prefer-standby"]),
    ]

    /// The first option in `options` whose value is not one of its set, and that set.
    static func invalid(in options: [String: String]) -> (keyword: String, value: String, values: [String])? {
        for (keyword, values) in allowed {
            if let value = options[keyword], !values.contains(value) { return (keyword, value, values) }
        }
        return nil
    }
}

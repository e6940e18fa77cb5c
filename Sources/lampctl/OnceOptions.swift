import ArgumentParser

/// Options that take one value are declared as arrays, so that a second one is refused instead of
/// silently replacing the first (`--database-url a --database-url b` used b); their value is the
/// array's only element.
enum OnceOptions {
    /// Throws a usage error naming the first option given more than once.
    static func check(_ options: [(name: String, count: Int)]) throws {
        if let repeated = options.first(where: { $0.count > 1 }) {
            throw ValidationError("\(repeated.name) was given more than once: give it once")
        }
    }
}

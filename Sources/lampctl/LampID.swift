import ArgumentParser

/// A lamp id as the command line takes it: an integer from 1 to 2147483647 (the column is `integer`).
struct LampID: ExpressibleByArgument {
    let value: Int64

    init?(argument: String) {
        guard let value = Int64(argument), (1...Int64(Int32.max)).contains(value) else { return nil }
        self.value = value
    }

    static func parse(_ argument: String) throws -> LampID {
        guard let id = LampID(argument: argument) else {
            throw ValidationError("a lamp id must be a positive integer: expected a whole number from 1 to \(Int32.max)")
        }
        return id
    }
}

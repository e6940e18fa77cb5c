/// The client's messages lampctl watch reads (the others pass through as `.other`).
public enum FrontendMessage: Sendable, Equatable {
    /// Simple query: one or more statements in one string.
    case query(String)
    /// Extended protocol: a statement prepared under `name` ("" is the unnamed one).
    case parse(name: String, query: String, parameterTypes: [Int32])
    /// A portal from a statement and its parameters; `parameterFormats` and `resultFormats`
    /// as sent (none: all text; one: all alike; else one per value).
    case bind(portal: String, statement: String, parameterFormats: [Int16], parameters: [[UInt8]?], resultFormats: [Int16])
    case describe(kind: UInt8, name: String)
    case execute(portal: String, maxRows: Int32)
    case close(kind: UInt8, name: String)
    case sync
    case flush
    case terminate
    case other(type: UInt8)

    public init(_ message: MessageFramer.Message) throws {
        var reader = ByteReader(message.body)
        switch message.type {
        case UInt8(ascii: "Q"): self = .query(try reader.cString())
        case UInt8(ascii: "P"):
            let name = try reader.cString()
            let query = try reader.cString()
            let count = Int(try reader.int16())
            self = .parse(name: name, query: query, parameterTypes: try (0..<max(0, count)).map { _ in try reader.int32() })
        case UInt8(ascii: "B"):
            let portal = try reader.cString()
            let statement = try reader.cString()
            let formats = try (0..<max(0, Int(try reader.int16()))).map { _ in try reader.int16() }
            let parameters = try (0..<max(0, Int(try reader.int16()))).map { _ in try reader.lengthPrefixed() }
            let results = try (0..<max(0, Int(try reader.int16()))).map { _ in try reader.int16() }
            self = .bind(portal: portal, statement: statement, parameterFormats: formats, parameters: parameters, resultFormats: results)
        case UInt8(ascii: "D"): self = .describe(kind: try reader.byte(), name: try reader.cString())
        case UInt8(ascii: "E"): self = .execute(portal: try reader.cString(), maxRows: try reader.int32())
        case UInt8(ascii: "C"): self = .close(kind: try reader.byte(), name: try reader.cString())
        case UInt8(ascii: "S"): self = .sync
        case UInt8(ascii: "H"): self = .flush
        case UInt8(ascii: "X"): self = .terminate
        default: self = .other(type: message.type)
        }
    }
}

/// The format of the `index`th value, as a Bind message's format list says it.
public func wireFormat(_ formats: [Int16], at index: Int) -> Int16 {
    switch formats.count {
    case 0: 0
    case 1: formats[0]
    default: index < formats.count ? formats[index] : 0
    }
}

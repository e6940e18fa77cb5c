/// The server's messages lampctl watch reads (the others pass through as `.other`).
public enum BackendMessage: Sendable, Equatable {
    /// One column of a result: where it comes from (`tableOID` 0 and `column` 0 for a computed
    /// one), its type, and the format its values are sent in (0 text, 1 binary).
    public struct Field: Sendable, Equatable {
        public var name: String
        public var tableOID: UInt32
        public var column: Int16
        public var typeOID: UInt32
        public var format: Int16

        public init(name: String, tableOID: UInt32, column: Int16, typeOID: UInt32, format: Int16) {
            self.name = name
            self.tableOID = tableOID
            self.column = column
            self.typeOID = typeOID
            self.format = format
        }
    }

    case authentication(code: Int32)
    case parameterStatus(name: String, value: String)
    case backendKeyData(pid: Int32, key: Int32)
    /// `I` idle, `T` in a transaction, `E` in a failed transaction.
    case readyForQuery(status: UInt8)
    case rowDescription([Field])
    case dataRow([[UInt8]?])
    case commandComplete(tag: String)
    case emptyQuery
    /// The fields of an ErrorResponse (`S` severity, `C` SQLSTATE, `M` message, ...).
    case error([UInt8: String])
    case parseComplete, bindComplete, closeComplete, noData, portalSuspended
    case parameterDescription([UInt32])
    case other(type: UInt8)

    public init(_ message: MessageFramer.Message) throws {
        var reader = ByteReader(message.body)
        switch message.type {
        case UInt8(ascii: "R"): self = .authentication(code: try reader.int32())
        case UInt8(ascii: "S"): self = .parameterStatus(name: try reader.cString(), value: try reader.cString())
        case UInt8(ascii: "K"): self = .backendKeyData(pid: try reader.int32(), key: try reader.int32())
        case UInt8(ascii: "Z"): self = .readyForQuery(status: try reader.byte())
        case UInt8(ascii: "T"):
            let count = max(0, Int(try reader.int16()))
            self = .rowDescription(try (0..<count).map { _ in
                let name = try reader.cString()
                let table = UInt32(bitPattern: try reader.int32())
                let column = try reader.int16()
                let type = UInt32(bitPattern: try reader.int32())
                _ = try reader.int16()  // type size
                _ = try reader.int32()  // type modifier
                return Field(name: name, tableOID: table, column: column, typeOID: type, format: try reader.int16())
            })
        case UInt8(ascii: "D"):
            let count = max(0, Int(try reader.int16()))
            self = .dataRow(try (0..<count).map { _ in try reader.lengthPrefixed() })
        case UInt8(ascii: "C"): self = .commandComplete(tag: try reader.cString())
        case UInt8(ascii: "I"): self = .emptyQuery
        case UInt8(ascii: "E"):
            var fields: [UInt8: String] = [:]
            while reader.remaining > 0 {
                let code = try reader.byte()
                if code == 0 { break }
                fields[code] = try reader.cString()
            }
            self = .error(fields)
        case UInt8(ascii: "1"): self = .parseComplete
        case UInt8(ascii: "2"): self = .bindComplete
        case UInt8(ascii: "3"): self = .closeComplete
        case UInt8(ascii: "n"): self = .noData
        case UInt8(ascii: "s"): self = .portalSuspended
        case UInt8(ascii: "t"):
            let count = max(0, Int(try reader.int16()))
            self = .parameterDescription(try (0..<count).map { _ in UInt32(bitPattern: try reader.int32()) })
        default: self = .other(type: message.type)
        }
    }
}

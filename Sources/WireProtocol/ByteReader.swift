/// Reads the big-endian integers and NUL-terminated strings of a protocol message body; every
/// read checks the bounds and throws `WireError.truncated` instead of trapping.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw WireError.truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func int16() throws -> Int16 {
        guard remaining >= 2 else { throw WireError.truncated }
        defer { offset += 2 }
        return Int16(bitPattern: UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1]))
    }

    mutating func int32() throws -> Int32 {
        guard remaining >= 4 else { throw WireError.truncated }
        defer { offset += 4 }
        return Int32(bitPattern: UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3]))
    }

    /// A NUL-terminated string (decoded as UTF-8, invalid bytes replaced).
    mutating func cString() throws -> String {
        guard let end = bytes[offset...].firstIndex(of: 0) else { throw WireError.truncated }
        defer { offset = end + 1 }
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }

    /// `count` raw bytes.
    mutating func take(_ count: Int) throws -> [UInt8] {
        guard count >= 0, remaining >= count else { throw WireError.truncated }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// An int32 length followed by that many bytes; nil for the length -1 (SQL NULL).
    mutating func lengthPrefixed() throws -> [UInt8]? {
        let length = try int32()
        if length == -1 { return nil }
        return try take(Int(length))
    }
}

/// A message that does not parse as its type says.
public enum WireError: Error, Equatable, Sendable {
    case truncated
    case badLength(Int)
}

/// Cuts a byte stream of one direction of a PostgreSQL connection into messages: after the
/// startup phase, one type byte and an int32 length (counting itself) per message. Bytes are
/// fed as they arrive; complete messages come out in order, partial ones wait for more.
public struct MessageFramer: Sendable {
    /// A whole message: its type byte and its body (without type and length).
    public struct Message: Sendable, Equatable {
        public var type: UInt8
        public var body: [UInt8]
    }

    /// The largest message accepted (PostgreSQL's own limit for most messages is 1 GB).
    public static let maximumLength = 1 << 30

    private var buffer: [UInt8] = []
    private var start = 0

    public init() {}

    /// Adds `bytes` and returns every message they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws -> [Message] {
        buffer.append(contentsOf: bytes)
        var messages: [Message] = []
        while buffer.count - start >= 5 {
            var reader = ByteReader(buffer, offset: start + 1)
            let length = Int(try reader.int32())
            guard length >= 4, length <= Self.maximumLength else { throw WireError.badLength(length) }
            guard buffer.count - start >= 1 + length else { break }
            messages.append(Message(type: buffer[start], body: Array(buffer[(start + 5)..<(start + 1 + length)])))
            start += 1 + length
        }
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 1 << 16 {
            buffer.removeFirst(start)
            start = 0
        }
        return messages
    }
}

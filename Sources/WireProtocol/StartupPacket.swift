/// The first packet a client sends (no type byte: an int32 length, then an int32 code): a
/// startup message with its parameters, or a request for TLS, GSS encryption or a cancel.
public enum StartupPacket: Sendable, Equatable {
    case startup(version: Int32, parameters: [String: String])
    case sslRequest
    case gssEncryptionRequest
    case cancel(pid: Int32, key: Int32)

    static let sslCode: Int32 = 80_877_103
    static let gssCode: Int32 = 80_877_104
    static let cancelCode: Int32 = 80_877_102

    /// The length of the packet at the start of `bytes`, once its length field has arrived.
    public static func length(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var reader = ByteReader(bytes)
        return (try? reader.int32()).map(Int.init)
    }

    /// Parses a whole packet (length field included).
    public init(_ bytes: [UInt8]) throws {
        var reader = ByteReader(bytes)
        let length = Int(try reader.int32())
        guard length >= 8, length <= bytes.count, length <= 10_000 else { throw WireError.badLength(length) }
        let code = try reader.int32()
        switch code {
        case Self.sslCode: self = .sslRequest
        case Self.gssCode: self = .gssEncryptionRequest
        case Self.cancelCode: self = .cancel(pid: try reader.int32(), key: try reader.int32())
        default:
            var parameters: [String: String] = [:]
            while reader.offset < length - 1 {
                let key = try reader.cString()
                if key.isEmpty { break }
                parameters[key] = try reader.cString()
            }
            self = .startup(version: code, parameters: parameters)
        }
    }
}

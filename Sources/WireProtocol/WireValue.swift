/// A value as it travelled, made readable: text-format values as they are; binary ones decoded
/// for the types a key or a status usually has (integers, bool, text, uuid, float8), else hex.
public enum WireValue {
    public static func text(_ bytes: [UInt8], format: Int16, typeOID: UInt32) -> String {
        guard format == 1 else { return String(decoding: bytes, as: UTF8.self) }
        func integer() -> Int64 {
            var value: Int64 = 0
            for byte in bytes { value = value << 8 | Int64(byte) }
            // Sign-extend from the value's width.
            let shift = Int64(64 - 8 * bytes.count)
            return bytes.isEmpty ? 0 : (value << shift) >> shift
        }
        switch typeOID {
        case 20, 21, 23, 26: return bytes.count <= 8 ? String(integer()) : hex(bytes)
        case 16: return bytes.first == 1 ? "t" : "f"
        case 25, 1043, 1042, 19, 705: return String(decoding: bytes, as: UTF8.self)
        case 2950 where bytes.count == 16:
            let h = hex(bytes).dropFirst(2)
            let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
                String(h[h.index(h.startIndex, offsetBy: range.lowerBound)..<h.index(h.startIndex, offsetBy: range.upperBound)])
            }
            return parts.joined(separator: "-")
        case 701 where bytes.count == 8:
            var bits: UInt64 = 0
            for byte in bytes { bits = bits << 8 | UInt64(byte) }
            let value = Double(bitPattern: bits)
            return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        default: return hex(bytes)
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return "\\x" + String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
    }
}

import Foundation
import ScenarioModel

/// Encodes an `Encodable` value as one JSON Lines object: keys in the order the value encodes
/// them, `", "` and `": "` between them (the spacing Python's `json.dumps` uses, so lampctl's
/// lines and the cross-checks' compare as text), `null` for an optional encoded with `encode`,
/// nothing for one encoded with `encodeIfPresent`. Objects, arrays, strings, booleans, integers.
public enum JSONLineEncoder {
    public static func encode(_ value: some Encodable) throws -> String {
        let root = Node()
        try value.encode(to: NodeEncoder(node: root))
        return root.text
    }

    /// The value's scalar fields in order, nested keys joined with `.` (`isolation.test`), array
    /// items by position (`worker_reads.0`); each value as JSON spells it, strings unquoted.
    public static func fields(_ value: some Encodable) throws -> [(key: String, value: String)] {
        let root = Node()
        try value.encode(to: NodeEncoder(node: root))
        var fields: [(key: String, value: String)] = []
        func walk(_ node: Node, _ path: String) {
            switch node.content {
            case .empty: fields.append((path, "null"))
            case let .scalar(text):
                let unquoted = text.hasPrefix("\"") ? (try? JSONDecoder().decode(String.self, from: Data(text.utf8))) : nil
                fields.append((path, unquoted ?? text))
            case let .object(pairs): for (key, child) in pairs { walk(child, path.isEmpty ? key : path + "." + key) }
            case let .array(items): for (index, child) in items.enumerated() { walk(child, path + "." + String(index)) }
            }
        }
        walk(root, "")
        return fields
    }

    /// What has been encoded at one place: a value, an object's pairs in order, or an array.
    final class Node {
        enum Content { case empty, scalar(String), object([(String, Node)]), array([Node]) }
        var content = Content.empty

        var text: String {
            switch content {
            case .empty: return "null"
            case let .scalar(text): return text
            case let .object(pairs): return "{" + pairs.map { JSONText.string($0.0) + ": " + $0.1.text }.joined(separator: ", ") + "}"
            case let .array(items): return "[" + items.map(\.text).joined(separator: ", ") + "]"
            }
        }

        func append(_ key: String, _ node: Node) {
            if case var .object(pairs) = content { pairs.append((key, node)); content = .object(pairs) } else { content = .object([(key, node)]) }
        }

        func append(_ node: Node) {
            if case var .array(items) = content { items.append(node); content = .array(items) } else { content = .array([node]) }
        }
    }

    struct Unsupported: Error, CustomStringConvertible {
        var type: String
        var description: String { "JSONLineEncoder: \(type) is not a JSON Lines value here" }
    }

    struct NodeEncoder: Encoder {
        let node: Node
        var codingPath: [any CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if case .empty = node.content { node.content = .object([]) }
            return KeyedEncodingContainer(Keyed<Key>(node: node))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if case .empty = node.content { node.content = .array([]) }
            return Unkeyed(node: node)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(node: node) }
    }

    /// A scalar's JSON text, for the types a line holds.
    static func scalar(_ value: some Encodable) throws -> String? {
        switch value {
        case let value as String: return JSONText.string(value)
        case let value as Bool: return String(value)
        case let value as Int: return String(value)
        case let value as Int64: return String(value)
        default: return nil
        }
    }

    static func node(for value: some Encodable) throws -> Node {
        let node = Node()
        if let text = try scalar(value) {
            node.content = .scalar(text)
        } else {
            try value.encode(to: NodeEncoder(node: node))
        }
        return node
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        var codingPath: [any CodingKey] = []

        mutating func encodeNil(forKey key: Key) throws {
            let null = Node()
            null.content = .scalar("null")
            node.append(key.stringValue, null)
        }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            node.append(key.stringValue, try JSONLineEncoder.node(for: value))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let child = Node()
            child.content = .object([])
            node.append(key.stringValue, child)
            return KeyedEncodingContainer(Keyed<NestedKey>(node: child))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = Node()
            child.content = .array([])
            node.append(key.stringValue, child)
            return Unkeyed(node: child)
        }

        mutating func superEncoder() -> any Encoder { NodeEncoder(node: node) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { NodeEncoder(node: node) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        var codingPath: [any CodingKey] = []
        var count: Int {
            if case let .array(items) = node.content { return items.count }
            return 0
        }

        mutating func encodeNil() throws {
            let null = Node()
            null.content = .scalar("null")
            node.append(null)
        }

        mutating func encode<T: Encodable>(_ value: T) throws { node.append(try JSONLineEncoder.node(for: value)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let child = Node()
            child.content = .object([])
            node.append(child)
            return KeyedEncodingContainer(Keyed<NestedKey>(node: child))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = Node()
            child.content = .array([])
            node.append(child)
            return Unkeyed(node: child)
        }

        mutating func superEncoder() -> any Encoder { NodeEncoder(node: node) }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        var codingPath: [any CodingKey] = []

        mutating func encodeNil() throws { node.content = .scalar("null") }

        mutating func encode<T: Encodable>(_ value: T) throws {
            guard let text = try JSONLineEncoder.scalar(value) else {
                try value.encode(to: NodeEncoder(node: node))
                return
            }
            node.content = .scalar(text)
        }
    }
}

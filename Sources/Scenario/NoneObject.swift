/// The test's variable for a lamp holds `None` (`session.get` found no row), and a step used it:
/// named as Python names what happens then (measured, tools/measure/named_lamps.py): an attribute
/// read or write raises `AttributeError`; a session call (`refresh`, `expire`, `expunge`, `add`,
/// `merge`) raises `UnmappedInstanceError` ("Class 'builtins.NoneType' is not mapped").
public struct NoneObject: Error, Sendable, CustomStringConvertible {
    /// The lamp's name as the scenario spells it (empty: the unnamed lamp).
    public var lamp: String
    /// The attribute read or set (`status`, `id`), or nil for a session call.
    public var attribute: String?

    public init(lamp: String, attribute: String?) {
        self.lamp = lamp
        self.attribute = attribute
    }

    /// `AttributeError` or `UnmappedInstanceError`.
    public var kind: String { attribute == nil ? "UnmappedInstanceError" : "AttributeError" }

    public var description: String {
        let which = lamp.isEmpty ? "the lamp" : "lamp \(lamp)"
        guard let attribute else { return "the test's object for \(which) is None (session.get found no row): Class 'builtins.NoneType' is not mapped" }
        return "the test's object for \(which) is None (session.get found no row): 'NoneType' object has no attribute '\(attribute)'"
    }
}

/// Shell completion for a comma-list option (`--fix refresh,c<TAB>`): the values not yet in the
/// list that start with what is typed after the last comma, each after the part already typed.
public enum CommaCompletion {
    /// The completions of `typed` (the whole word being completed) among `values`; `all` only
    /// as the first item.
    public static func candidates(typed: String, values: [String]) -> [String] {
        let parts = typed.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let listed = Array(parts.dropLast())
        let last = parts.last ?? ""
        let head = listed.isEmpty ? "" : listed.joined(separator: ",") + ","
        return values.filter { $0.hasPrefix(last) && !listed.contains($0) && ($0 != "all" || listed.isEmpty) }.map { head + $0 }
    }
}

/// `--diagram` takes an optional value (`text`, the default, or `mermaid`); ArgumentParser options
/// need one, so a bare `--diagram` is rewritten to `--diagram=text` before parsing.
enum DiagramArgument {
    static let formats = ["text", "mermaid"]

    static func normalize(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                result += arguments[index...]
                break
            }
            if argument == "--diagram" {
                if index + 1 < arguments.count, formats.contains(arguments[index + 1]) {
                    result.append("--diagram=\(arguments[index + 1])")
                    index += 2
                    continue
                }
                result.append("--diagram=text")
            } else {
                result.append(argument)
            }
            index += 1
        }
        return result
    }
}

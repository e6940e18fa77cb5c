/// A file a run writes whole at its end beside its main output (`--report`, `--junit`), the way
/// `--output` writes (see `OutputPath`): checked when made, so a directory or a missing parent
/// is refused before any work, and decided again when written.
public struct FileOutput {
    public let path: String
    public let option: String

    public init(path: String, option: String) throws {
        guard path != "-" else {
            throw LampctlError("\(option) -: give a file name (standard output takes the run's main output; --output - is standard output)", status: .usage)
        }
        self.path = path
        self.option = option
        _ = try OutputPath.resolve(path, option: option)
    }

    public func write(_ text: String) throws {
        try OutputPath.resolve(path, option: option).write(text)
    }
}

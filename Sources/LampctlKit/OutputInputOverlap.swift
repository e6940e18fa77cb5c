#if canImport(Glibc)
import Glibc
#endif

/// Refuses an `--output` path that is one of the run's input files: the output replaces the file
/// it names, so `--file mine.scenario --output mine.scenario` would put the results table where
/// the user's scenario was. Files are compared as the kernel sees them (device and inode, after
/// following symbolic links), so a symbolic or hard link to an input is refused too; standard
/// input (`-`) is compared through descriptor 0. Only a regular file can be lost this way: a
/// terminal, FIFO or device that is both read and written is left alone.
public enum OutputInputOverlap {
    /// Throws a usage error (exit 64) when `output` is the same regular file as one of `inputs`
    /// (each with the option that named it, for the message); `nil` or `-` is standard output.
    public static func check(output: String?, inputs: [(option: String, path: String)]) throws {
        guard let output, output != "-" else { return }
        var outputInfo = stat()
        guard stat(output, &outputInfo) == 0, outputInfo.st_mode & S_IFMT == S_IFREG else { return }
        for (option, path) in inputs {
            var inputInfo = stat()
            let found = path == ScenarioSelection.standardInput ? fstat(0, &inputInfo) : stat(path, &inputInfo)
            guard found == 0, inputInfo.st_dev == outputInfo.st_dev, inputInfo.st_ino == outputInfo.st_ino else { continue }
            let input = path == ScenarioSelection.standardInput ? "standard input (\(option) -)" : "\(option) \(path)"
            throw LampctlError(
                "--output \(output): is the same file as \(input): the output would replace it; write the output to another file",
                status: .usage)
        }
    }
}

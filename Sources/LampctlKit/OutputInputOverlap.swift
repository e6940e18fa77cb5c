import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Refuses an output path (`--output`, `--report`, `--junit`) that is one of the run's input
/// files, or the same file as another output: an output replaces the file it names, so
/// `--file mine.scenario --output mine.scenario` would put the results table where the user's
/// scenario was. Files are compared as the kernel sees them (device and inode, after following
/// symbolic links), so a symbolic or hard link to an input is refused too; standard input (`-`)
/// is compared through descriptor 0. Only a regular file can be lost this way: a terminal, FIFO
/// or device that is both read and written is left alone. Two outputs are also compared by the
/// path they would create, so `--report r.html --junit r.html` is refused before either exists.
public enum OutputInputOverlap {
    /// Throws a usage error (exit 64) when `output` is the same regular file as one of `inputs`
    /// (each with the option that named it, for the message); `nil` or `-` is standard output.
    public static func check(output: String?, inputs: [(option: String, path: String)]) throws {
        try check(outputs: output.map { [("--output", $0)] } ?? [], inputs: inputs)
    }

    /// The same for several outputs, each with its option; also refuses two outputs naming one file.
    public static func check(outputs: [(option: String, path: String)], inputs: [(option: String, path: String)]) throws {
        let outputs = outputs.filter { $0.path != "-" }
        for (option, output) in outputs {
            var outputInfo = stat()
            guard stat(output, &outputInfo) == 0, outputInfo.st_mode & S_IFMT == S_IFREG else { continue }
            for (inputOption, path) in inputs {
                var inputInfo = stat()
                let found = path == ScenarioSelection.standardInput ? fstat(0, &inputInfo) : stat(path, &inputInfo)
                guard found == 0, inputInfo.st_dev == outputInfo.st_dev, inputInfo.st_ino == outputInfo.st_ino else { continue }
                let input = path == ScenarioSelection.standardInput ? "standard input (\(inputOption) -)" : "\(inputOption) \(path)"
                throw LampctlError(
                    "\(option) \(output): is the same file as \(input): the output would replace it; write the output to another file",
                    status: .usage)
            }
        }
        for (index, first) in outputs.enumerated() {
            for second in outputs[(index + 1)...] where sameTarget(first.path, second.path) {
                throw LampctlError("\(second.option) \(second.path): is the same file as \(first.option) \(first.path); give each output a file of its own",
                                   status: .usage)
            }
        }
    }

    /// Whether two output paths name one file: the same inode when both exist, else the same final target.
    private static func sameTarget(_ first: String, _ second: String) -> Bool {
        var one = stat(), two = stat()
        if stat(first, &one) == 0, stat(second, &two) == 0 {
            return one.st_dev == two.st_dev && one.st_ino == two.st_ino && one.st_mode & S_IFMT == S_IFREG
        }
        let targets = [first, second].map { (try? OutputPath.finalTarget(of: $0)) ?? $0 }
        return absolute(targets[0]) == absolute(targets[1])
    }

    private static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return normalized(path) }
        return normalized(FileManager.default.currentDirectoryPath + "/" + path)
    }

    /// `/a/./b//c` as `/a/b/c` (`..` is left alone: through a symbolic link it is not textual).
    private static func normalized(_ path: String) -> String {
        "/" + path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }
}

// lampctl-bench: `make bench`. Measures the full matrix against its round-trip floor, the
// release lampctl's zero-set-up runs, the standby and how lampctl scales with long scenario
// files; prints a table and writes JSON (see Sources/Bench).
//
//     lampctl-bench [--output PATH] [--compare PATH]
import Bench
import Foundation

var output = "bench-results.json"
var compare: String?
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--output": output = arguments.next() ?? output
    case "--compare": compare = arguments.next()
    default:
        FileHandle.standardError.write(Data("usage: lampctl-bench [--output PATH] [--compare PATH]\n".utf8))
        exit(argument == "--help" || argument == "-h" ? 0 : 64)
    }
}

do {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    let lampctl = executable.deletingLastPathComponent().appendingPathComponent("lampctl").path
    let environment = ProcessInfo.processInfo.environment
    var options = Benchmark.Options(lampctl: lampctl, databaseURL: environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 })
    options.suitesPython = environment["LAMPCTL_SUITES_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    let before = try compare.map(BenchResults.load)
    let results = try Benchmark.run(options) { FileHandle.standardError.write(Data("lampctl-bench: \($0)\n".utf8)) }
    let machine = results.machine
    print("lampctl bench, \(results.date): \(machine.processors) cores, \(machine.cpu), PostgreSQL \(machine.postgres) (\(results.server)), libpq \(machine.libpq), Linux \(machine.kernel), load average \(String(format: "%.2f", machine.load)) at start\n")
    if let device = machine.journalLessTemporaryDisk {
        print("""
            /tmp is on ext4 without a journal (\(device)): for up to 5 minutes after many files were deleted \
            there (an earlier make bench or make test), creating files is slower, and the cold start and \
            standby set-up rows with it (docs/bench.md).

            """)
    }
    print(BenchTable.render(results, before: before), terminator: "")
    try results.write(to: output)
    print("\nwritten to \(output)")
} catch {
    FileHandle.standardError.write(Data("lampctl-bench: \(error)\n".utf8))
    exit(1)
}

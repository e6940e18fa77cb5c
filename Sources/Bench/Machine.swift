import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The machine and server a measurement was taken on.
public struct Machine: Codable, Sendable {
    /// Online processors (`nproc`).
    public var processors: Int
    /// `model name` from /proc/cpuinfo.
    public var cpu: String
    /// `uname -r`.
    public var kernel: String
    /// The server's `server_version`.
    public var postgres: String
    /// The linked libpq.
    public var libpq: String
    /// The 1-minute load average when the benchmark started (other work skews the numbers).
    public var load: Double
    /// The device holding /tmp (the bench's homes) when it is ext4 without a journal, else nil.
    public var journalLessTemporaryDisk: String?

    static func current(postgres: String, libpq: String, load: Double) -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n")
            .first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        var name = utsname()
        uname(&name)
        let kernel = withUnsafeBytes(of: &name.release) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        return Machine(processors: sysconf(Int32(_SC_NPROCESSORS_ONLN)), cpu: model, kernel: kernel,
                       postgres: postgres, libpq: libpq, load: load,
                       journalLessTemporaryDisk: JournalLessDisk.device(of: "/tmp"))
    }
}

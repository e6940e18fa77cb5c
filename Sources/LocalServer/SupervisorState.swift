import Foundation
import Glibc

/// What the live supervisor publishes in `<home>/supervisor.state` (written atomically).
///
/// Trusted only while `<home>/supervisor.lock` is held, which the supervisor does for its whole life.
struct SupervisorState: Sendable, Equatable {
    enum Phase: String, Sendable { case starting, ready, stopping }

    var pid: pid_t
    var postmasterPID: pid_t?
    var kept: Bool
    var phase: Phase

    func write(to path: String) throws {
        var text = "pid=\(pid)\nmode=\(kept ? "kept" : "on-demand")\nphase=\(phase.rawValue)\n"
        if let postmasterPID { text += "postmaster=\(postmasterPID)\n" }
        let temporary = path + ".\(getpid()).tmp"
        do {
            try text.write(toFile: temporary, atomically: false, encoding: .utf8)
        } catch {
            throw LocalServerError("cannot write \(temporary): \(error.localizedDescription)")
        }
        if rename(temporary, path) != 0 { throw LocalServerError.system("cannot write \(path)") }
    }

    static func read(from path: String) -> SupervisorState? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        guard let pid = values["pid"].flatMap({ Int32($0) }),
              let phase = values["phase"].flatMap({ Phase(rawValue: $0) }) else { return nil }
        return SupervisorState(pid: pid, postmasterPID: values["postmaster"].flatMap { Int32($0) },
                               kept: values["mode"] == "kept", phase: phase)
    }
}

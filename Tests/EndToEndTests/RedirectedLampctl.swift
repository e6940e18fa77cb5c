import Foundation
import TestSupport

/// Runs lampctl the way a user's shell would set it up: through /bin/sh, with a working
/// directory, a `umask` and standard output redirected to a path (e.g. /dev/full), so that the
/// test process's own umask and directory never change. `exec` keeps lampctl's pid the shell's.
enum RedirectedLampctl {
    struct Output {
        var pid: Int32
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], environment: [String: String?] = [:], input: String? = nil,
                    standardOutput: String? = nil, umask: String? = nil, directory: String? = nil) throws -> Output {
        var script = ""
        if let directory { script += "cd \(quoted(directory)) && " }
        if let umask { script += "umask \(umask) && " }
        script += "exec \"$0\" \"$@\""
        if let standardOutput { script += " > \(quoted(standardOutput))" }
        let child = try TestProcess("/bin/sh", ["-c", script, LampctlProcess.binary] + arguments,
                                    environment: LampctlProcess.environment(environment), input: input)
        let output = try child.wait(timeout: 120)
        return Output(pid: child.pid, status: output.status, stdout: output.stdout, stderr: output.stderr)
    }

    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

import ArgumentParser
import Foundation
import LampctlKit
#if canImport(Glibc)
import Glibc
#endif

/// Parses, runs, and turns every error into one line on stderr and a documented exit code.
enum CommandLineRunner {
    static func main(_ arguments: [String]) -> Never {
        let arguments = DiagramArgument.normalize(arguments)
        SignalGuard.install(cleanup: ActiveRun.interrupt)
        do {
            try ConnectWaitSetting.configure(from: ProcessInfo.processInfo.environment)
            var command = try Lampctl.parseAsRoot(arguments)
            try command.run()
            exit(ExitStatus.success.rawValue)
        } catch let error as LampctlError {
            fail(error)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let code = Lampctl.exitCode(for: error)
            if code == .success {
                Lampctl.exit(withError: error)  // --help, --version: print and exit 0
            }
            if isUsageError(error) || code == .validationFailure {
                fail(LampctlError(usageLine(error), status: .usage))
            }
            fail(LampctlError.from(error))
        }
    }

    static func fail(_ error: LampctlError) -> Never {
        writeStandardError("lampctl: \(error.message)\n")
        exit(error.status.rawValue)
    }

    static func isUsageError(_ error: any Error) -> Bool {
        error is ValidationError || String(describing: type(of: error)).contains("CommandError")
            || String(describing: type(of: error)).contains("ParserError")
    }

    /// ArgumentParser's message on one line, with a pointer to --help.
    static func usageLine(_ error: any Error) -> String {
        let message = Lampctl.message(for: error)
            .split(whereSeparator: \.isNewline).first.map(String.init) ?? "invalid usage"
        let trimmed = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
        return trimmed + " (see 'lampctl --help')"
    }
}

import ArgumentParser
import Foundation
import LampctlKit
#if canImport(Glibc)
import Glibc
#endif

/// Parses, runs, and turns every error into one line on stderr and a documented exit code.
enum CommandLineRunner {
    static func main(_ arguments: [String]) -> Never {
        let arguments = NegativeIDArgument.normalize(DiagramArgument.normalize(arguments))
        SignalGuard.install(cleanup: ActiveRun.interrupt)
        // Known once the command line parsed: errors before that (the environment) get no help pointer.
        var commandType: (any ParsableCommand.Type)?
        do {
            try ConnectWaitSetting.configure(from: ProcessInfo.processInfo.environment)
            var command = try Lampctl.parseAsRoot(arguments)
            commandType = type(of: command)
            try command.run()
            if let error = StandardOutput.flush() { fail(StandardOutput.failure(error)) }
            exit(ExitStatus.success.rawValue)
        } catch let error as LampctlError {
            fail(error, help: commandType.map(CommandPath.helpPointer(for:)))
        } catch let code as ExitCode {
            if let error = StandardOutput.flush() { fail(StandardOutput.failure(error)) }
            exit(code.rawValue)
        } catch {
            let code = Lampctl.exitCode(for: error)
            if code == .success {
                // --help, --version, completion scripts: printed here, so that a failed write
                // (stdout on /dev/full, a closed descriptor) is exit 74, not a silent 0.
                print(Lampctl.fullMessage(for: error))
                if let error = StandardOutput.flush() { fail(StandardOutput.failure(error)) }
                exit(ExitStatus.success.rawValue)
            }
            if code == .validationFailure {
                let help = CommandPath.helpPointer(in: Lampctl.fullMessage(for: error))
                    ?? CommandPath.helpPointer(for: commandType ?? Lampctl.self)
                fail(LampctlError(usageLine(error, arguments), status: .usage), help: help)
            }
            fail(LampctlError.from(error), help: commandType.map(CommandPath.helpPointer(for:)))
        }
    }

    /// Prints the error's line (a usage error with a pointer to the command's help) and exits.
    static func fail(_ error: LampctlError, help: String? = nil) -> Never {
        var line = error.message
        if error.status == .usage, let help {
            if line.hasSuffix(".") { line.removeLast() }
            line += (line.hasSuffix("?") ? " " : ". ") + "See '\(help)'."
        }
        writeStandardError("lampctl: \(line)\n")
        exit(error.status.rawValue)
    }

    /// ArgumentParser's message on one line, with "did you mean" for a mistyped subcommand.
    static func usageLine(_ error: any Error, _ arguments: [String]) -> String {
        let message = Lampctl.message(for: error)
            .split(whereSeparator: \.isNewline).first.map(String.init) ?? "invalid usage"
        let trimmed = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
        return trimmed + CommandPath.subcommandSuggestion(arguments)
    }
}

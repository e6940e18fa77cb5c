import LampctlKit
import LocalServer

// The embedded server's supervisor is this same executable, started with a hidden first argument.
if CommandLine.arguments.dropFirst().first == "_supervise" {
    LocalServer.runSupervisor(arguments: Array(CommandLine.arguments.dropFirst(2)))
}
// A hidden driver the LocalServer tests use (`_lease`).
HiddenCommands.runIfRequested()

CommandLineRunner.main(Array(CommandLine.arguments.dropFirst()))

import LampctlKit
import LocalServer

// The embedded server's supervisor is this same executable, started with a hidden first argument.
if CommandLine.arguments.dropFirst().first == "_supervise" {
    LocalServer.runSupervisor(arguments: Array(CommandLine.arguments.dropFirst(2)))
}
// Hidden drivers the LocalServer tests use (`_lease`, `_start`).
HiddenCommands.runIfRequested()

CommandLineRunner.main(Array(CommandLine.arguments.dropFirst()))

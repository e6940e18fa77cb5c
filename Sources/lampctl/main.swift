import LocalServer

if CommandLine.arguments.dropFirst().first == "_supervise" {
    LocalServer.runSupervisor(arguments: Array(CommandLine.arguments.dropFirst(2)))
}
HiddenCommands.runIfRequested()
print("stub")

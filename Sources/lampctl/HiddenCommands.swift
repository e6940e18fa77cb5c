import Foundation
import LocalServer

/// Hidden test drivers for the embedded server (not part of the user-facing CLI):
///
///     lampctl _lease <seconds>   acquire, print the connection string, sleep, exit
enum HiddenCommands {
    static func runIfRequested() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let command = arguments.first, command.hasPrefix("_") else { return }
        let config = LocalServerConfiguration.fromEnvironment()
        do {
            switch command {
            case "_lease":
                let seconds = arguments.dropFirst().first.flatMap(Double.init) ?? 0
                let lease = try LocalServer.acquire(config)
                FileHandle.standardOutput.write(Data((lease.connectionString + "\n").utf8))
                Thread.sleep(forTimeInterval: seconds)
                lease.release()
            default:
                FileHandle.standardError.write(Data("lampctl: unknown command \(command)\n".utf8))
                exit(64)
            }
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("lampctl: \(error)\n".utf8))
            exit(1)
        }
    }
}

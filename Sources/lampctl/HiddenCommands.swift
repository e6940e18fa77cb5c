import Foundation
import LocalServer

/// Hidden test drivers for the embedded server (not part of the user-facing CLI):
///
///     lampctl _lease <seconds>           acquire, print the connection string, sleep, exit
///     lampctl _lease-standby <seconds>   the same with the hot standby; prints its string too
enum HiddenCommands {
    static func runIfRequested() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let command = arguments.first, command.hasPrefix("_") else { return }
        let config = LocalServerConfiguration.fromEnvironment()
        do {
            switch command {
            case "_lease", "_lease-standby":
                let seconds = arguments.dropFirst().first.flatMap(Double.init) ?? 0
                let standby = command == "_lease-standby"
                let lease = try LocalServer.acquire(config, standby: standby)
                let strings = [lease.connectionString] + (standby ? [lease.connectionStrings[.standby] ?? ""] : [])
                FileHandle.standardOutput.write(Data((strings.joined(separator: " ") + "\n").utf8))
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

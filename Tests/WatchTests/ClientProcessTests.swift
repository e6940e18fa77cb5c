import TestSupport
import Testing
@testable import Watch
#if canImport(Glibc)
import Glibc
#endif

/// The client process of a TCP connection, found through /proc: here, this test process's own.
@Suite(.bounded) struct ClientProcessTests {
    @Test func theProcessHoldingTheClientSocketIsFound() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        try #require(bound)
        let relayPort = Int(UInt16(bigEndian: address.sin_port))
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(client) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        var own = sockaddr_in()
        var ownLength = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &own) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(client, $0, &ownLength) } }
        let clientPort = Int(UInt16(bigEndian: own.sin_port))
        #expect(ClientProcess.pid(clientPort: clientPort, relayPort: relayPort) == getpid())
        #expect(ClientProcess.pid(clientPort: clientPort, relayPort: relayPort + 1 == 65_536 ? 1 : relayPort + 1) == nil)
    }
}

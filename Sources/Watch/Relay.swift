import Foundation
import Synchronization
import WireProtocol
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL wire-protocol relay on 127.0.0.1: each client connection is passed to the
/// upstream server byte for byte (authentication included: SCRAM and MD5 pass through), while
/// a `ConnectionTracker` reads both directions. TLS and GSS encryption requests are answered
/// "no" (the client then continues in the clear, or gives up if it requires TLS); a cancel
/// request is passed on. `stop()` closes the listening socket and every relayed connection.
public final class Relay: @unchecked Sendable {
    /// Where the upstream server listens: a TCP host and port, or a Unix socket path.
    public enum Upstream: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    public let port: Int
    private let listener: Int32
    private let upstream: Upstream
    private let log: WireLog
    private let catalog: TableCatalog?
    /// Told the database of each new client connection (e.g. to start decoding it).
    private let onDatabase: @Sendable (String) -> Void
    private let sockets = Mutex<Set<Int32>>([])
    /// Clients that asked for TLS, were told no and hung up (they required it).
    private let abandonedTLS = Mutex(0)
    private let stopped = Mutex(false)
    /// The client-process lookups still running (the report waits for them, briefly).
    private let lookups = DispatchGroup()

    public init(upstream: Upstream, log: WireLog, catalog: TableCatalog?, onDatabase: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.upstream = upstream
        self.log = log
        self.catalog = catalog
        self.onDatabase = onDatabase
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw RelayError("cannot open the relay's socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 128) == 0 else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw RelayError("cannot listen on 127.0.0.1: \(message)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        listener = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in acceptLoop() }.start()
    }

    /// How many clients hung up after their TLS request was answered "no" (they required TLS).
    public var tlsRefusals: Int { abandonedTLS.withLock { $0 } }

    /// Waits up to `seconds` for the client-process lookups still running.
    public func finishLookups(seconds: Double = 2) {
        _ = lookups.wait(timeout: .now() + seconds)
    }

    public func stop() {
        stopped.withLock { $0 = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        let open = sockets.withLock { sockets in defer { sockets = [] }; return sockets }
        for descriptor in open { shutdown(descriptor, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            if stopped.withLock({ $0 }) {
                close(client)
                return
            }
            Thread { [self] in serve(client) }.start()
        }
    }

    private func track(_ descriptor: Int32) { sockets.withLock { _ = $0.insert(descriptor) } }

    private func untrackAndClose(_ descriptor: Int32) {
        sockets.withLock { _ = $0.remove(descriptor) }
        close(descriptor)
    }

    /// One client: its startup packet, then both directions until either side closes.
    private func serve(_ client: Int32) {
        track(client)
        var tracker: ConnectionTracker?
        var server: Int32 = -1
        defer {
            tracker?.closed()
            untrackAndClose(client)
            if server >= 0 { untrackAndClose(server) }
        }
        var pending: [UInt8] = []
        var askedForTLS = false
        while true {
            guard let packet = Self.readStartup(client, buffer: &pending) else {
                if askedForTLS { abandonedTLS.withLock { $0 += 1 } }
                return
            }
            guard let startup = try? StartupPacket(packet) else { return }
            switch startup {
            case .sslRequest, .gssEncryptionRequest:
                if case .sslRequest = startup { askedForTLS = true }
                guard Self.writeAll(client, [UInt8(ascii: "N")]) else { return }
                continue
            case .cancel:
                let upstreamSocket = connectUpstream()
                if upstreamSocket >= 0 {
                    _ = Self.writeAll(upstreamSocket, packet)
                    close(upstreamSocket)
                }
                return
            case let .startup(_, parameters):
                server = connectUpstream()
                guard server >= 0 else { return }
                track(server)
                let database = parameters["database"] ?? parameters["user"] ?? ""
                let number = log.newConnection(user: parameters["user"] ?? "", database: database,
                                               applicationName: parameters["application_name"] ?? "")
                onDatabase(database)
                if let clientPort = Self.peerPort(client) {
                    // Found beside the conversation, not in its way.
                    let (log, relayPort) = (self.log, self.port)
                    DispatchQueue.global().async(group: lookups) {
                        if let pid = ClientProcess.pid(clientPort: clientPort, relayPort: relayPort) { log.setClientPID(pid, connection: number) }
                    }
                }
                tracker = ConnectionTracker(number: number, database: database, log: log, catalog: catalog)
                guard Self.writeAll(server, packet + pending) else { return }
                // Bytes the client sent after its startup packet go through the framer too.
                let early = pending
                pending = []
                pump(client: client, server: server, tracker: tracker!, early: early)
                return
            }
        }
    }

    /// Relays until one side closes: the server's replies on a thread of their own.
    private func pump(client: Int32, server: Int32, tracker: ConnectionTracker, early: [UInt8]) {
        let backwards = Thread {
            var framer = MessageFramer()
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(server, &buffer, buffer.count)
                if count <= 0 {
                    if count < 0 && errno == EINTR { continue }
                    break
                }
                let bytes = Array(buffer[0..<count])
                if let messages = try? framer.feed(bytes) {
                    for message in messages { if let decoded = try? BackendMessage(message) { tracker.backend(decoded) } }
                }
                guard Self.writeAll(client, bytes) else { break }
            }
            shutdown(client, Int32(SHUT_RDWR))
        }
        backwards.start()
        var framer = MessageFramer()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var first = early
        while true {
            var bytes = first
            first = []
            if bytes.isEmpty {
                let count = read(client, &buffer, buffer.count)
                if count <= 0 {
                    if count < 0 && errno == EINTR { continue }
                    break
                }
                bytes = Array(buffer[0..<count])
                // Seen before forwarded: the reply always finds its request.
                if let messages = try? framer.feed(bytes) {
                    for message in messages { if let decoded = try? FrontendMessage(message) { tracker.frontend(decoded) } }
                }
                guard Self.writeAll(server, bytes) else { break }
            } else if let messages = try? framer.feed(bytes) {
                for message in messages { if let decoded = try? FrontendMessage(message) { tracker.frontend(decoded) } }
            }
        }
        shutdown(server, Int32(SHUT_RDWR))
        while !backwards.isFinished { usleep(1000) }
    }

    private func connectUpstream() -> Int32 {
        switch upstream {
        case let .unix(path):
            let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { return -1 }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
                close(descriptor)
                return -1
            }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in bytes.enumerated() { raw[index] = byte }
            }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard connected == 0 else {
                close(descriptor)
                return -1
            }
            return descriptor
        case let .tcp(host, port):
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else { return -1 }
            defer { freeaddrinfo(result) }
            var entry: UnsafeMutablePointer<addrinfo>? = first
            while let current = entry {
                let descriptor = socket(current.pointee.ai_family, current.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), current.pointee.ai_protocol)
                if descriptor >= 0 {
                    if connect(descriptor, current.pointee.ai_addr, current.pointee.ai_addrlen) == 0 {
                        var one: Int32 = 1
                        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                        return descriptor
                    }
                    close(descriptor)
                }
                entry = current.pointee.ai_next
            }
            return -1
        }
    }

    /// The client's port of an accepted TCP socket.
    static func peerPort(_ descriptor: Int32) -> Int? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let found = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(descriptor, $0, &length) }
        }
        return found == 0 ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }

    /// Reads one startup packet (length-prefixed, no type byte); extra bytes stay in `buffer`.
    static func readStartup(_ descriptor: Int32, buffer: inout [UInt8]) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            if let length = StartupPacket.length(buffer), length >= 8, length <= 10_000, buffer.count >= length {
                let packet = Array(buffer[0..<length])
                buffer.removeFirst(length)
                return packet
            }
            if let length = StartupPacket.length(buffer), length < 8 || length > 10_000 { return nil }
            let count = read(descriptor, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            buffer += chunk[0..<count]
        }
    }

    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}

/// The relay could not start.
public struct RelayError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

import Postgres

/// Part 2: the least the matrix's work can cost on this server: its round trips times one
/// `SELECT 1` on an open connection, plus its connections times one connection set-up.
///
/// Both costs are sampled right after each matrix run, so each run is compared with a floor
/// measured under the same conditions (on a 2-core VM a round trip costs 3x more when client
/// and backend land on different cores, and that changes from moment to moment).
public enum RoundTripFloor {
    public struct Measurement: Codable, Sendable {
        /// One `SELECT 1` on an open connection, milliseconds (each sample: the mean of `statementsPerSample`).
        public var roundTrip: Summary
        public var statementsPerSample: Int
        /// One connection set-up (open until ready; close not included), milliseconds.
        public var connect: Summary
        public var connectionsPerSample: Int
        /// Per matrix run: its round trips x that sample's round trip + its connections x that sample's set-up.
        public var floor: Summary
        /// Not part of the floor: one `SELECT 1` when consecutive statements go to 3 connections in
        /// turn, as the matrix's sessions do (absent in results written before it was measured).
        public var roundTripRotating: Summary?
    }

    static let statementsPerSample = 300
    static let connectionsPerSample = 5

    /// The mean cost of one `SELECT 1` over `statementsPerSample`, on an open connection.
    static func sampleRoundTrip(_ connection: Connection) throws -> Double {
        try Stopwatch.milliseconds {
            for _ in 0..<statementsPerSample { try connection.execute("SELECT 1") }
        } / Double(statementsPerSample)
    }

    /// The mean cost of one `SELECT 1` over `statementsPerSample`, each on the next of `connections`.
    static func sampleRotatingRoundTrip(_ connections: [Connection]) throws -> Double {
        try Stopwatch.milliseconds {
            for index in 0..<statementsPerSample { try connections[index % connections.count].execute("SELECT 1") }
        } / Double(statementsPerSample)
    }

    /// The mean cost of opening a connection over `connectionsPerSample`.
    static func sampleConnect(_ connectionString: ConnectionString) throws -> Double {
        var total = 0.0
        for _ in 0..<connectionsPerSample {
            var opened: Connection?
            total += try Stopwatch.milliseconds { opened = try Connection(connectionString) }
            opened?.close()
        }
        return total / Double(connectionsPerSample)
    }
}

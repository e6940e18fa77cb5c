/// lampctl's exit codes (sysexits.h where one fits). Documented in `lampctl --help`.
public enum ExitStatus: Int32, Sendable {
    /// Success (for `scenario`: the run completed, whatever the verdicts).
    case success = 0
    /// The lamp does not exist, or `scenario --expect` found a case that disagrees.
    case failure = 1
    /// Bad command line: unknown option, malformed id, unknown strategy (EX_USAGE).
    case usage = 64
    /// A scenario file that cannot be parsed (EX_DATAERR).
    case dataError = 65
    /// The database cannot be reached (bad host, refused, timeout, authentication), or the
    /// connection was lost mid-command: SQLSTATE class 08, 57P01-57P03 (EX_UNAVAILABLE).
    case unavailable = 69
    /// The database rejected a statement (EX_SOFTWARE).
    case databaseError = 70
    /// The embedded PostgreSQL could not be set up or started (EX_OSERR).
    case localServer = 71
    /// Cannot read or write a file lampctl needs, or standard output (EX_IOERR).
    case ioError = 74
    /// The server's configuration lacks what the command needs (watch: wal_level=logical, the
    /// REPLICATION privilege) (EX_CONFIG).
    case configuration = 78
    /// Hung up: SIGHUP (the terminal closed), handled like SIGTERM.
    case hangUp = 129
    /// Interrupted by SIGINT (Ctrl-C).
    case interrupted = 130
    /// Terminated by SIGTERM.
    case terminated = 143

    /// The table shown in `--help`.
    public static let helpText = """
        Exit codes:
          0    success (scenario: the run completed, whatever the verdicts)
          1    lamp not found; scenario --expect found a disagreeing case
          64   usage error (bad option, id or value)
          65   scenario file cannot be parsed
          69   database unreachable (host, port, authentication, timeout) or connection lost
          70   database error during the command (a statement rejected)
          71   embedded PostgreSQL could not be set up or started
          74   file or standard output cannot be read or written
          78   the server's configuration lacks what the command needs (watch: wal_level=logical)
          130  interrupted (SIGINT); 143 terminated (SIGTERM); 129 hung up (SIGHUP)
        """
}

/// The bench's throwaway homes, deleted together when the bench ends, not one by one as each
/// part finishes with them.
///
/// On a disk formatted as ext4 without a journal (this machine's), a new file's inode skips, one
/// lookup each, every inode of its block group deleted in the last 60 s (300 s while the inode
/// table is not yet written back): the kernel's `recently_deleted` check. Deleting a home mid-bench
/// (about 1,000-2,000 inodes) therefore slowed the next part's file creation: the standby's copy
/// took 0.75-1.2 s instead of 0.07-0.3 s (all of it kernel time in `recently_deleted`, seen with
/// `perf`), and initdb in the cold starts likewise. Parts stop a home's servers when they are done
/// with it; only the deletion waits.
final class TemporaryHomes {
    private let lampctl: String
    private var homes: [TemporaryHome] = []

    init(lampctl: String) {
        self.lampctl = lampctl
    }

    /// A new home, deleted by `removeAll()`.
    func make() throws -> TemporaryHome {
        let home = try TemporaryHome(lampctl: lampctl)
        homes.append(home)
        return home
    }

    /// Stops every home's servers and deletes the homes.
    func removeAll() {
        for home in homes { home.remove() }
        homes = []
    }

    deinit { removeAll() }
}

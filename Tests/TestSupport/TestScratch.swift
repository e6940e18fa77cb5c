import Foundation

/// Where tests make their homes and servers: `LAMPCTL_TEST_TMPDIR`, else /dev/shm (a tmpfs),
/// else /tmp. On this machine /tmp is ext4 without a journal, where each new inode pays a lookup
/// per inode freed in the last minutes: a suite that makes and deletes dozens of clusters of
/// ~1,000 files each spent a tenth of its CPU in the kernel for it (measured with process
/// accounting: cp of the initdb template at 0.9 s CPU each, 0.1 s on its own).
public enum TestScratch {
    public static let directory: String = {
        if let directory = ProcessInfo.processInfo.environment["LAMPCTL_TEST_TMPDIR"], !directory.isEmpty { return directory }
        var info = stat()
        if stat("/dev/shm", &info) == 0, info.st_mode & S_IFMT == S_IFDIR, access("/dev/shm", W_OK) == 0 { return "/dev/shm" }
        return "/tmp"
    }()
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether a directory is on ext4 without a journal, where creating files is slower for up to
/// five minutes after many were deleted (see `TemporaryHomes`): the bench says so next to its numbers.
enum JournalLessDisk {
    /// The block device's name (`vda`) when `path` is on ext4 mounted without a journal, else nil.
    static func device(of path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        let dev = UInt64(status.st_dev)
        let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfff)
        let minor = (dev & 0xff) | ((dev >> 12) & ~0xff)
        guard let uevent = try? String(contentsOfFile: "/sys/dev/block/\(major):\(minor)/uevent", encoding: .utf8),
              let line = uevent.split(separator: "\n").first(where: { $0.hasPrefix("DEVNAME=") })
        else { return nil }
        let name = String(line.dropFirst("DEVNAME=".count))
        // ext4 lists its mounted devices here; `journal_task` names the journal thread, "<none>" without one.
        guard let task = try? String(contentsOfFile: "/sys/fs/ext4/\(name)/journal_task", encoding: .utf8),
              task.trimmingCharacters(in: .whitespacesAndNewlines) == "<none>"
        else { return nil }
        return name
    }
}

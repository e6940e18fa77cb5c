import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `--output PATH` writes to, decided as `>` in a shell would, but never destroying anything:
/// symbolic links are followed to their final target (a dangling one names the file to create);
/// a regular file is replaced atomically (a temporary file in the same directory, then rename(2),
/// keeping the old file's mode and owner); a new file gets mode 0666 minus the umask; a FIFO, a
/// character device or anything else that is not a regular file is opened and written through;
/// a directory is refused. Nothing is ever removed, and the temporary file never outlives an
/// error or a signal (see `TemporaryOutputFile`).
struct OutputPath {
    enum Kind: Equatable {
        /// A regular file is there: replace it, keeping its permission bits and owner.
        case replace(mode: mode_t, owner: uid_t, group: gid_t)
        /// Nothing is there: create it.
        case create
        /// A FIFO, device or socket: write to it directly.
        case writeThrough
    }

    /// The option that named the path (`--output`, `--report`, `--junit`), for messages.
    let option: String
    /// The path as the user gave it (for messages).
    let given: String
    /// The final target after following symbolic links.
    let target: String
    let kind: Kind

    /// Decides what writing to `path` means now.
    static func resolve(_ path: String, option: String = "--output") throws -> OutputPath {
        let target = try finalTarget(of: path, option: option)
        var info = stat()
        if stat(target, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                throw LampctlError("\(option) \(path): is a directory; give a file name", status: .ioError)
            case S_IFREG:
                // As '>' would: a file we may not write is refused, not replaced behind its owner's back.
                guard access(target, W_OK) == 0 else { throw failure(option, path, errno) }
                return OutputPath(option: option, given: path, target: target, kind: .replace(mode: info.st_mode & 0o7777, owner: info.st_uid, group: info.st_gid))
            default:
                return OutputPath(option: option, given: path, target: target, kind: .writeThrough)
            }
        }
        guard errno == ENOENT else { throw failure(option, path, errno) }
        var directoryInfo = stat()
        guard stat(directory(of: target), &directoryInfo) == 0, directoryInfo.st_mode & S_IFMT == S_IFDIR else {
            throw LampctlError("\(option) \(path): the directory does not exist", status: .ioError)
        }
        return OutputPath(option: option, given: path, target: target, kind: .create)
    }

    /// Writes `text` as decided.
    func write(_ text: String) throws {
        switch kind {
        case .writeThrough: try writeThrough(text)
        case .create: try replace(with: text, keeping: nil)
        case .replace(let mode, let owner, let group): try replace(with: text, keeping: (mode, owner, group))
        }
    }

    private func writeThrough(_ text: String) throws {
        // No O_CREAT, no O_TRUNC: a FIFO or device is written as it is.
        let descriptor = open(target, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.failure(option, given, errno) }
        if let error = FileDescriptorWriter.write(text, to: descriptor) {
            close(descriptor)
            throw Self.failure(option, given, error)
        }
        guard close(descriptor) == 0 || errno == EINTR else { throw Self.failure(option, given, errno) }
    }

    private func replace(with text: String, keeping old: (mode: mode_t, owner: uid_t, group: gid_t)?) throws {
        let name = URL(fileURLWithPath: target).lastPathComponent
        let temporary = Self.directory(of: target) + "/.\(name).lampctl-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = TemporaryOutputFile.create(temporary)
        guard descriptor >= 0 else { throw Self.failure(option, given, errno) }
        do {
            if let old {
                _ = fchown(descriptor, old.owner, old.group)  // best effort, as only root may give a file away
                guard fchmod(descriptor, old.mode) == 0 else { throw Self.failure(option, given, errno) }
            }
            Failpoint.check("writing \(option)")
            if let error = FileDescriptorWriter.write(text, to: descriptor) { throw Self.failure(option, given, error) }
            guard fsync(descriptor) == 0 else { throw Self.failure(option, given, errno) }
            guard close(descriptor) == 0 else { throw Self.failure(option, given, errno) }
            guard rename(temporary, target) == 0 else { throw Self.failure(option, given, errno) }
            TemporaryOutputFile.finished()
        } catch {
            close(descriptor)
            TemporaryOutputFile.discard()
            throw error
        }
    }

    /// Follows symbolic links (relative ones from their own directory) to a path that is not one.
    static func finalTarget(of path: String, option: String = "--output") throws -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0 else {
                guard errno == ENOENT else { throw failure(option, path, errno) }
                return current
            }
            guard info.st_mode & S_IFMT == S_IFLNK else { return current }
            var bytes = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &bytes, Int(PATH_MAX))
            guard count >= 0 else { throw failure(option, path, errno) }
            let link = String(decoding: bytes[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : directory(of: current) + "/" + link
        }
        throw failure(option, path, ELOOP)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func failure(_ option: String, _ path: String, _ error: Int32) -> LampctlError {
        LampctlError("\(option) \(path): cannot write: \(String(cString: strerror(error)))", status: .ioError)
    }
}

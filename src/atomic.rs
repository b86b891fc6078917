//! Writing files atomically: a temporary file in the target's directory, flushed to disk, then
//! renamed over the target. A run killed at any point leaves either the old file or the new one at
//! the target, never a partial one. Every file cxlint writes (`--output`, `--write-baseline`,
//! `snapshot --out`, `init`, generated docs) goes through here, which also makes the directories
//! missing on the way to it.

use std::fs::{self, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Write `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with_hook(path, bytes, |_| Ok(()))
}

/// Whether `path` is written with a separator at its end (`reports/`): a directory, whichever
/// way `Path` reads it (its components drop the separator).
pub fn ends_with_separator(path: &Path) -> bool {
    let last = path.as_os_str().as_encoded_bytes().last();
    last == Some(&b'/') || (cfg!(windows) && last == Some(&b'\\'))
}

/// Write `bytes` to `path` atomically. `before_rename` runs after the temporary file is complete
/// and flushed, just before the rename: tests use it to fail at the worst moment.
pub fn write_atomic_with_hook(
    path: &Path,
    bytes: &[u8],
    before_rename: impl FnOnce(&Path) -> io::Result<()>,
) -> io::Result<()> {
    // Through a symbolic link to what it names: renamed over, the link itself would become a
    // regular file (`--output /dev/stdout` replaced the system's link).
    let path = match through_links(path)? {
        Target::Path(path) => path,
        // Written where the descriptor's file is now, after what was written to it before
        // (`>> log`, or a shell block's earlier output): replaced, the file lost that. A pipe
        // or a terminal ignores the appending.
        Target::Descriptor(link) => {
            let mut file = OpenOptions::new().append(true).open(link)?;
            return file.write_all(bytes).and_then(|()| file.flush());
        }
    };
    let path = path.as_path();
    let existing = fs::metadata(path).ok();
    // A device or a pipe cannot be replaced, only written: as is.
    if existing
        .as_ref()
        .is_some_and(|m| !m.is_file() && !m.is_dir())
    {
        let mut file = OpenOptions::new().write(true).open(path)?;
        return file.write_all(bytes).and_then(|()| file.flush());
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // `reports/` names a directory, though `Path` drops the trailing separator and would make
    // it a file called `reports`.
    let names_dir = ends_with_separator(path) || existing.as_ref().is_some_and(|m| m.is_dir());
    let name = (path.file_name()).filter(|_| !names_dir).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "the output path names a directory, not a file",
        )
    })?;
    // A directory that does not exist yet is made, as ruff's `--output-file` does
    // (`--output reports/cxlint.sarif` in a fresh CI checkout). Only a missing one: a file
    // where a directory should be is left to fail below, with the system's own words.
    if !dir.exists() {
        fs::create_dir_all(&dir)?;
    }
    // Same directory, so the rename stays on one file system and is atomic.
    let tmp = dir.join(format!(
        ".{}.{}-{:08x}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        random_u32()
    ));
    let result = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        // The file replaced keeps its permissions (a group-writable report stays so, a private
        // one stays private), set before anything is written: the new file is made with the
        // process's defaults (0644 under the usual umask). Best effort: a file system without
        // Unix modes (a FAT or SMB mount) refuses, and has none to keep.
        if let Some(m) = existing.as_ref().filter(|m| m.is_file()) {
            let _ = file.set_permissions(m.permissions());
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        before_rename(&tmp)?;
        fs::rename(&tmp, path)?;
        sync_dir(&dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// What a path names once its links are followed.
#[derive(Debug, PartialEq)]
enum Target {
    /// A path to write to (or replace).
    Path(PathBuf),
    /// One of the kernel's links to an open file (`/proc/self/fd/1`, where `/dev/stdout`
    /// leads): opened as it is, the kernel takes it to that file. Its target is no path to
    /// follow (`pipe:[123]` for a pipe), and the file it names, even a regular one, is the
    /// open file's, not one to replace.
    Descriptor(PathBuf),
}

/// `path` with every symbolic link it ends in followed (a link to a link, a relative target),
/// at most 40 of them as the kernel does; a dangling link gives the path it names.
fn through_links(path: &Path) -> io::Result<Target> {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        if in_descriptor_dir(&path) {
            return Ok(Target::Descriptor(path));
        }
        match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(Target::Path(path)),
        }
    }
    Err(io::Error::other(format!(
        "`{}`: too many levels of symbolic links",
        path.display()
    )))
}

/// Whether `path` is in a directory of descriptor links: a process's `/proc/<pid>/fd` (or a
/// thread's, `/proc/<pid>/task/<tid>/fd`; `/proc/self/fd` and Linux's `/dev/fd` lead there),
/// or `/dev/fd` where it is a directory of its own (macOS and the BSDs).
fn in_descriptor_dir(path: &Path) -> bool {
    let Some(dir) = path.parent().and_then(|d| fs::canonicalize(d).ok()) else {
        return false;
    };
    dir == Path::new("/dev/fd")
        || (dir.starts_with("/proc") && dir.file_name().is_some_and(|n| n == "fd"))
}

/// Make the rename itself durable (best effort: not every platform can open a directory).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// A random suffix, so concurrent writers of one target never share a temporary file.
fn random_u32() -> u32 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    h.finish() as u32
}

#[cfg(test)]
mod tests {
    use super::write_atomic_with_hook as write_atomic;
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("read dir")
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn failure_before_rename_keeps_the_old_file_and_no_temp() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("snap.json");
        fs::write(&target, "old").expect("seed");
        let mut seen_tmp = None;
        let err = write_atomic(&target, b"new contents", |tmp| {
            // The temporary file is complete at this point...
            assert_eq!(fs::read(tmp).expect("tmp"), b"new contents");
            seen_tmp = Some(tmp.to_path_buf());
            Err(io::Error::other("killed"))
        })
        .expect_err("simulated failure");
        assert_eq!(err.to_string(), "killed");
        // ...but the target is untouched and the temporary file is gone.
        assert_eq!(fs::read_to_string(&target).expect("target"), "old");
        assert!(!seen_tmp.expect("hook ran").exists());
        assert_eq!(leftovers(dir.path()), ["snap.json"]);
    }

    /// A link is written through, not replaced: relative targets, links to links, dangling
    /// links (the file they name is made), and what is not a file at all (a pipe).
    #[cfg(unix)]
    #[test]
    fn links_are_written_through() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        fs::create_dir(d.join("reports")).expect("mkdir");
        fs::write(d.join("reports/real.sarif"), "old").expect("seed");
        symlink("reports/real.sarif", d.join("link")).expect("link");
        symlink(d.join("link"), d.join("link2")).expect("link to link");
        write_atomic(&d.join("link2"), b"new", |_| Ok(())).expect("write");
        assert!(
            fs::symlink_metadata(d.join("link"))
                .expect("link")
                .is_symlink()
        );
        assert!(
            fs::symlink_metadata(d.join("link2"))
                .expect("link2")
                .is_symlink()
        );
        assert_eq!(
            fs::read_to_string(d.join("reports/real.sarif")).expect("real"),
            "new"
        );
        symlink("later.json", d.join("dangling")).expect("dangling");
        write_atomic(&d.join("dangling"), b"made", |_| Ok(())).expect("write");
        assert_eq!(
            fs::read_to_string(d.join("later.json")).expect("made"),
            "made"
        );
        assert!(
            fs::symlink_metadata(d.join("dangling"))
                .expect("dangling")
                .is_symlink()
        );
        // A pipe (`/dev/stdout` to a reader) is written, never renamed over.
        let fifo = d.join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let reader = std::thread::spawn({
                let fifo = fifo.clone();
                move || fs::read_to_string(fifo).expect("read the pipe")
            });
            write_atomic(&fifo, b"piped", |_| Ok(())).expect("write");
            assert_eq!(reader.join().expect("reader"), "piped");
            assert!(!fs::metadata(&fifo).expect("fifo").is_file());
        }
    }

    /// The file replaced keeps its permissions; a new one gets the process's defaults.
    #[cfg(unix)]
    #[test]
    fn the_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("report.sarif");
        for mode in [0o664, 0o600, 0o444] {
            fs::write(&target, "old").ok();
            fs::set_permissions(&target, fs::Permissions::from_mode(mode)).expect("chmod");
            write_atomic(&target, b"new", |_| Ok(())).expect("write");
            let meta = fs::metadata(&target).expect("target");
            assert_eq!(meta.permissions().mode() & 0o7777, mode, "{mode:o}");
            assert_eq!(fs::read_to_string(&target).expect("target"), "new");
            fs::set_permissions(&target, fs::Permissions::from_mode(0o644)).expect("chmod");
        }
    }

    /// A descriptor link (`/proc/self/fd/N`, where `/dev/stdout` leads) is written through, after
    /// what its file holds, and the file stays the one the descriptor has open.
    #[cfg(target_os = "linux")]
    #[test]
    fn descriptor_links_are_written_through() {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::MetadataExt;
        assert!(matches!(
            through_links(Path::new("/dev/stdout")).expect("resolve"),
            Target::Descriptor(_)
        ));
        let dir = tempfile::tempdir().expect("tempdir");
        let log = dir.path().join("log.txt");
        fs::write(&log, "earlier\n").expect("seed");
        let open = OpenOptions::new().append(true).open(&log).expect("open");
        let link = PathBuf::from(format!("/dev/fd/{}", open.as_raw_fd()));
        let inode = fs::metadata(&log).expect("log").ino();
        write_atomic(&link, b"report\n", |_| Ok(())).expect("write");
        assert_eq!(fs::read_to_string(&log).expect("log"), "earlier\nreport\n");
        assert_eq!(fs::metadata(&log).expect("log").ino(), inode);
        assert_eq!(leftovers(dir.path()), ["log.txt"]);
    }

    /// Missing directories on the way to the target are made; a file in the way of one is an
    /// error, and is left as it was.
    #[test]
    fn missing_directories_are_made() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("reports/ci/cxlint.sarif");
        write_atomic(&target, b"new", |_| Ok(())).expect("write");
        assert_eq!(fs::read_to_string(&target).expect("target"), "new");
        assert_eq!(leftovers(&dir.path().join("reports/ci")), ["cxlint.sarif"]);
        fs::write(dir.path().join("file"), "kept").expect("seed");
        write_atomic(&dir.path().join("file/x.json"), b"new", |_| Ok(())).expect_err("a file");
        assert_eq!(
            fs::read_to_string(dir.path().join("file")).expect("file"),
            "kept"
        );
    }

    /// A path ending in a separator, or naming a directory, is refused: nothing is written.
    #[test]
    fn a_directory_is_no_target() {
        let dir = tempfile::tempdir().expect("tempdir");
        let slash = format!("{}/reports/", dir.path().display());
        let err = write_atomic(Path::new(&slash), b"new", |_| Ok(())).expect_err("a directory");
        assert_eq!(
            err.to_string(),
            "the output path names a directory, not a file"
        );
        assert!(!dir.path().join("reports").exists());
        write_atomic(dir.path(), b"new", |_| Ok(())).expect_err("an existing directory");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn success_replaces_the_target() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("snap.json");
        fs::write(&target, "old").expect("seed");
        write_atomic(&target, b"new", |_| Ok(())).expect("write");
        assert_eq!(fs::read_to_string(&target).expect("target"), "new");
        assert_eq!(leftovers(dir.path()), ["snap.json"]);
    }
}

//! Writing the snapshot file atomically: a temporary file in the target's directory, flushed to
//! disk, then renamed over the target. A run killed at any point leaves either the old file or
//! the new one at the target, never a partial one.

use std::io;
use std::path::Path;

use crate::snapshot::Snapshot;

/// Write `snapshot` to `path` atomically (pretty JSON with a trailing newline).
pub fn write_snapshot_atomic(path: &Path, snapshot: &Snapshot) -> io::Result<()> {
    crate::atomic::write_atomic(path, snapshot.to_json_pretty().as_bytes())
}

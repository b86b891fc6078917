//! `cxlint api <METHOD> <PATH>`: a placeholder replaced below.

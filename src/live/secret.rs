//! [`Secret`]: the one type that holds the OAuth client secret and access tokens.
//!
//! Its `Debug` and `Display` print `[redacted]`, so a secret cannot leak through `{:?}` in a log, an
//! error message or a panic. The only way to read it is [`Secret::expose`], which is called in
//! exactly two places: the HTTP Basic header of the token request and the bearer header of API calls.

use std::fmt;

/// A credential that must never be printed, logged, serialised or stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential itself, for an HTTP header and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True if the credential is the empty string (an empty environment variable is no credential).
    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // Best effort: overwrite the bytes so a freed secret does not linger in a core dump.
        let mut bytes = std::mem::take(&mut self.0).into_bytes();
        bytes.fill(0);
        std::hint::black_box(&bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let s = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(format!("{s}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some([redacted])");
        assert_eq!(s.expose(), "hunter2-very-secret");
        assert!(Secret::new("  ").is_empty());
    }
}

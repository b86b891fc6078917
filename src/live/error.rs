//! [`LiveError`]: why `cxlint snapshot` (or `check --live`) could not fetch the org.
//!
//! Messages name the endpoint and the HTTP status, never a header, a token or the secret.

use std::path::PathBuf;

/// A failure of the live client. Each message is one lowercase line that says what to do.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// Client id or secret missing from flags and environment.
    #[error(
        "missing credentials: set {missing} (the OAuth client credentials the Terraform provider uses)"
    )]
    MissingCredentials {
        /// The variables that are unset, e.g. `GENESYSCLOUD_OAUTHCLIENT_SECRET`.
        missing: String,
    },
    /// Neither a region nor an API base was given.
    #[error("no region: pass --region or set GENESYSCLOUD_REGION (or give --api-base)")]
    NoRegion,
    /// A region not in the provider's table.
    #[error("unknown region `{region}`; valid regions: {valid}")]
    UnknownRegion { region: String, valid: String },
    /// An `--api-base` or `--login-base` that is not an http(s) URL.
    #[error("invalid {what} `{url}`: {reason}")]
    InvalidUrl {
        what: &'static str,
        url: String,
        reason: String,
    },
    /// The method guard refused a request: cxlint only reads.
    #[error("refused to send `{method} {url}`: cxlint only sends GET requests and the token POST")]
    MethodRefused { method: String, url: String },
    /// The token request was rejected.
    #[error("authentication failed at `{url}`: HTTP {status}{detail}")]
    Auth {
        url: String,
        status: u16,
        detail: String,
    },
    /// A listing answered 401 even after one fresh token.
    #[error("`GET {endpoint}` answered HTTP 401 again after re-authenticating")]
    Unauthorized { endpoint: String },
    /// A listing answered an unexpected client error.
    #[error("`GET {endpoint}` answered HTTP {status}")]
    Http { endpoint: String, status: u16 },
    /// Retries ran out on 429, 5xx, timeouts or connection errors.
    #[error("`{method} {endpoint}` failed after {attempts} attempts: {last}")]
    RetriesExhausted {
        method: &'static str,
        endpoint: String,
        attempts: u32,
        last: String,
    },
    /// The total time budget ran out.
    #[error("time budget of {budget_secs} s ran out while fetching `{endpoint}`")]
    BudgetExceeded { endpoint: String, budget_secs: u64 },
    /// A response that is not the JSON the endpoint documents.
    #[error("malformed response from `{endpoint}`: {reason}")]
    Malformed { endpoint: String, reason: String },
    /// A listing that keeps announcing a next page.
    #[error("`{endpoint}` still had a next page after {cap} pages; stopping")]
    TooManyPages { endpoint: String, cap: u32 },
    /// The HTTP client or the async runtime could not start.
    #[error("could not start the http client: {0}")]
    Setup(String),
    /// Writing the snapshot file failed (the target was left untouched).
    #[error("could not write snapshot `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

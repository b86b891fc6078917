//! The live client: fetch the org's state from the Genesys Cloud Platform API into a
//! [`Snapshot`] (`cxlint snapshot`, `cxlint check --live`).
//!
//! The API outside is synchronous: [`fetch_snapshot`] starts a tokio runtime of its own and blocks
//! on it; nothing else in cxlint is async. The client only reads (GET, plus the token POST; see
//! [`client::request_allowed`]), honours rate limits, retries transient failures within a time
//! budget, and keeps the secret and the token in [`Secret`]. It produces a snapshot, never a
//! second model: `check --live` reads the result through [`crate::snapshot`] like a file.
//!
//! - `client`: method guard, retries, paging;  `auth`: the OAuth token;
//! - `fetch`: which listings, concurrently;    `convert`: API entity -> provider attributes;
//! - `region`: region -> domain;               `atomic`: the atomic file write;
//! - `secret`: the redacting credential type;  `progress`: progress bar and `--verbose` lines.

mod atomic;
mod auth;
pub mod client;
pub mod convert;
mod error;
mod fetch;
mod progress;
pub mod region;
mod secret;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

pub use crate::atomic::write_atomic_with_hook as write_atomic;
pub use atomic::write_snapshot_atomic;
pub use error::LiveError;
pub use secret::Secret;

use crate::snapshot::Snapshot;

/// Environment variable of the OAuth client id (the provider's name for it).
pub const ENV_CLIENT_ID: &str = "GENESYSCLOUD_OAUTHCLIENT_ID";
/// Environment variable of the OAuth client secret.
pub const ENV_CLIENT_SECRET: &str = "GENESYSCLOUD_OAUTHCLIENT_SECRET";
/// Environment variable of the region (`us-east-1`).
pub const ENV_REGION: &str = "GENESYSCLOUD_REGION";

/// The default `--out` of `cxlint snapshot`.
pub const DEFAULT_OUT: &str = "cxlint-snapshot.json";

/// How to reach the API and how patient to be. `Debug` is safe to print: the secret redacts.
#[derive(Debug, Clone)]
pub struct LiveOptions {
    /// Region (`eu-west-1`); picks the API and login hosts unless the bases below are given.
    pub region: Option<String>,
    /// API base URL override (a proxy or a test server).
    pub api_base: Option<String>,
    /// Login base URL override; without it and with `api_base`, the token comes from `api_base`.
    pub login_base: Option<String>,
    /// OAuth client id (client-credentials grant).
    pub client_id: String,
    /// OAuth client secret.
    pub client_secret: Secret,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Time limit of one request (connect to last body byte).
    pub request_timeout: Duration,
    /// Time limit of the whole fetch, retries and waits included.
    pub total_budget: Duration,
    /// Retries of one request after a 429, a 5xx, a timeout or a connection error.
    pub max_retries: u32,
    /// First backoff delay; it doubles per retry.
    pub backoff_base: Duration,
    /// Longest backoff delay.
    pub backoff_cap: Duration,
    /// `pageSize` of listings.
    pub page_size: u32,
    /// Pages after which a listing that still has a `nextUri` is an error (a loop guard).
    pub max_pages: u32,
    /// Log each request (`GET <url> -> 200 (123 ms)`) to stderr.
    pub verbose: bool,
    /// Draw a progress bar (only ever on a terminal outside CI).
    pub progress: bool,
}

impl LiveOptions {
    /// Options with the defaults: 8 requests at once, 30 s per request, 10 minutes in all.
    pub fn new(client_id: impl Into<String>, client_secret: Secret) -> Self {
        LiveOptions {
            region: None,
            api_base: None,
            login_base: None,
            client_id: client_id.into(),
            client_secret,
            concurrency: 8,
            request_timeout: Duration::from_secs(30),
            total_budget: Duration::from_secs(600),
            max_retries: 5,
            backoff_base: Duration::from_millis(500),
            // Genesys rate-limit windows are a minute long; waiting longer than half of one buys nothing.
            backoff_cap: Duration::from_secs(30),
            page_size: 100,
            max_pages: 1000,
            verbose: false,
            progress: true,
        }
    }

    /// The API base and the token URL these options point at.
    pub fn endpoints(&self) -> Result<(Url, Url), LiveError> {
        let region_domain = match self.region.as_deref().filter(|r| !r.trim().is_empty()) {
            Some(r) => Some(region::domain_for(r)?),
            None => None,
        };
        let api = match (&self.api_base, region_domain) {
            (Some(base), _) => parse_base("--api-base", base)?,
            (None, Some(domain)) => parse_base("api base", &format!("https://api.{domain}"))?,
            (None, None) => return Err(LiveError::NoRegion),
        };
        let login = match (&self.login_base, &self.api_base, region_domain) {
            (Some(base), _, _) => parse_base("--login-base", base)?,
            // Only an API base: a proxy or test server that serves the token too.
            (None, Some(_), _) => api.clone(),
            (None, None, Some(domain)) => {
                parse_base("login base", &format!("https://login.{domain}"))?
            }
            (None, None, None) => return Err(LiveError::NoRegion),
        };
        let mut token = login.clone();
        token.set_path(&format!(
            "{}/oauth/token",
            login.path().trim_end_matches('/')
        ));
        Ok((api, token))
    }
}

fn parse_base(what: &'static str, text: &str) -> Result<Url, LiveError> {
    let invalid = |reason: &str| LiveError::InvalidUrl {
        what,
        url: text.to_owned(),
        reason: reason.to_owned(),
    };
    let url = Url::parse(text.trim()).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("expected an http or https url"));
    }
    if url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
        return Err(invalid("expected a base url without query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("credentials do not belong in the url"));
    }
    Ok(url)
}

/// Fetch the org's state. Starts a tokio runtime for the duration of the call.
pub fn fetch_snapshot(opts: &LiveOptions) -> Result<Snapshot, LiveError> {
    if opts.client_id.trim().is_empty() || opts.client_secret.is_empty() {
        return Err(LiveError::MissingCredentials {
            missing: missing_names(
                opts.client_id.trim().is_empty(),
                opts.client_secret.is_empty(),
            ),
        });
    }
    let (api, token_url) = opts.endpoints()?;
    let policy = client::Policy {
        request_timeout: opts.request_timeout,
        max_retries: opts.max_retries,
        backoff_base: opts.backoff_base,
        backoff_cap: opts.backoff_cap,
        page_size: opts.page_size.max(1),
        max_pages: opts.max_pages.max(1),
        budget: opts.total_budget,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| LiveError::Setup(e.to_string()))?;
    let api_text = api.as_str().trim_end_matches('/').to_owned();
    let progress = progress::Progress::new(opts.progress, opts.verbose);
    let region = opts.region.clone().filter(|r| !r.trim().is_empty());
    let result = runtime.block_on(async {
        let http = Arc::new(client::Http::new(
            api,
            token_url,
            opts.client_id.clone(),
            opts.client_secret.clone(),
            opts.concurrency,
            policy,
            progress,
        )?);
        let result = fetch::fetch(Arc::clone(&http), region, api_text).await;
        http.progress.finish();
        result
    });
    // Requests still in flight after an error are cancelled with the runtime.
    runtime.shutdown_background();
    result
}

fn missing_names(id: bool, secret: bool) -> String {
    match (id, secret) {
        (true, true) => format!("{ENV_CLIENT_ID} and {ENV_CLIENT_SECRET}"),
        (true, false) => ENV_CLIENT_ID.to_owned(),
        _ => ENV_CLIENT_SECRET.to_owned(),
    }
}

/// What `cxlint snapshot` was asked for; the CLI layer fills it from flags.
#[derive(Debug, Clone, Default)]
pub struct SnapshotArgs {
    /// `--region` (overrides `GENESYSCLOUD_REGION`).
    pub region: Option<String>,
    /// `--out` (default [`DEFAULT_OUT`]).
    pub out: Option<PathBuf>,
    /// `--api-base`.
    pub api_base: Option<String>,
    /// `--login-base`.
    pub login_base: Option<String>,
    /// `--concurrency` (default 8).
    pub concurrency: Option<usize>,
    /// `--verbose`.
    pub verbose: bool,
    /// No progress bar (`snapshot --quiet`, `check --live --quiet`).
    pub quiet: bool,
}

/// Options for `args`, with credentials and region read through `env` (flags win over it).
/// `env` is a parameter so tests need not change the process environment.
pub fn resolve_options(
    args: &SnapshotArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<LiveOptions, LiveError> {
    let nonempty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let id = nonempty(env(ENV_CLIENT_ID));
    let secret = nonempty(env(ENV_CLIENT_SECRET));
    let (Some(id), Some(secret)) = (id.clone(), secret.clone()) else {
        return Err(LiveError::MissingCredentials {
            missing: missing_names(id.is_none(), secret.is_none()),
        });
    };
    let mut opts = LiveOptions::new(id.trim(), Secret::new(secret));
    opts.region = nonempty(args.region.clone()).or_else(|| nonempty(env(ENV_REGION)));
    opts.api_base = nonempty(args.api_base.clone());
    opts.login_base = nonempty(args.login_base.clone());
    if let Some(c) = args.concurrency {
        opts.concurrency = c.max(1);
    }
    opts.verbose = args.verbose;
    opts.progress = !args.quiet;
    // Fail on a bad region or URL now, before any request.
    opts.endpoints()?;
    Ok(opts)
}

/// `cxlint snapshot`: resolve options from `args` and the environment, fetch, write the file
/// atomically, and return its path.
pub fn run_snapshot_command(args: &SnapshotArgs) -> Result<PathBuf, LiveError> {
    let opts = resolve_options(args, &|name| std::env::var(name).ok())?;
    let snapshot = fetch_snapshot(&opts)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
    write_snapshot_atomic(&out, &snapshot).map_err(|source| LiveError::Write {
        path: out.clone(),
        source,
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn region_picks_api_and_login_hosts() {
        let mut o = LiveOptions::new("id", Secret::new("s"));
        o.region = Some("eu-central-1".into());
        let (api, token) = o.endpoints().expect("endpoints");
        assert_eq!(api.as_str(), "https://api.mypurecloud.de/");
        assert_eq!(token.as_str(), "https://login.mypurecloud.de/oauth/token");
    }

    #[test]
    fn api_base_alone_serves_the_token_too() {
        let mut o = LiveOptions::new("id", Secret::new("s"));
        o.api_base = Some("http://127.0.0.1:9/prefix/".into());
        let (api, token) = o.endpoints().expect("endpoints");
        assert_eq!(api.as_str(), "http://127.0.0.1:9/prefix/");
        assert_eq!(token.as_str(), "http://127.0.0.1:9/prefix/oauth/token");
        o.login_base = Some("http://127.0.0.1:10".into());
        assert_eq!(
            o.endpoints().expect("endpoints").1.as_str(),
            "http://127.0.0.1:10/oauth/token"
        );
        o.api_base = Some("ftp://x".into());
        assert!(matches!(o.endpoints(), Err(LiveError::InvalidUrl { .. })));
    }

    #[test]
    fn flags_override_environment() {
        let env = env_of(&[
            (ENV_CLIENT_ID, "cid"),
            (ENV_CLIENT_SECRET, "sec"),
            (ENV_REGION, "eu-west-1"),
        ]);
        let args = SnapshotArgs {
            region: Some("ap-southeast-2".into()),
            ..Default::default()
        };
        let o = resolve_options(&args, &env).expect("options");
        assert_eq!(o.region.as_deref(), Some("ap-southeast-2"));
        assert_eq!(o.client_id, "cid");
        let o = resolve_options(&SnapshotArgs::default(), &env).expect("options");
        assert_eq!(o.region.as_deref(), Some("eu-west-1"));
        assert!(
            !format!("{o:?}").contains("sec\""),
            "secret must not be in Debug"
        );
    }

    #[test]
    fn missing_credentials_and_region_are_clear_errors() {
        let e = resolve_options(&SnapshotArgs::default(), &env_of(&[(ENV_CLIENT_ID, "cid")]))
            .expect_err("no secret");
        assert!(e.to_string().contains(ENV_CLIENT_SECRET), "{e}");
        assert!(!e.to_string().contains(ENV_CLIENT_ID), "{e}");
        let e = resolve_options(
            &SnapshotArgs::default(),
            &env_of(&[(ENV_CLIENT_SECRET, "  ")]),
        )
        .expect_err("none");
        assert!(
            e.to_string().contains(ENV_CLIENT_ID) && e.to_string().contains(ENV_CLIENT_SECRET),
            "{e}"
        );
        let env = env_of(&[(ENV_CLIENT_ID, "cid"), (ENV_CLIENT_SECRET, "sec")]);
        assert!(matches!(
            resolve_options(&SnapshotArgs::default(), &env),
            Err(LiveError::NoRegion)
        ));
        let args = SnapshotArgs {
            region: Some("moon-1".into()),
            ..Default::default()
        };
        let e = resolve_options(&args, &env).expect_err("unknown region");
        assert!(
            e.to_string().contains("unknown region `moon-1`")
                && e.to_string().contains("us-east-1"),
            "{e}"
        );
    }
}

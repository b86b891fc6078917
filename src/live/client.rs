//! The HTTP side of the live client: the read-only method guard, retries, rate limits, the time
//! budget, and paging.
//!
//! Every request is built by [`Http::request`], the single place that decides what may be sent:
//! `GET` to the API base, and `POST` to the token URL. Everything else is refused before it reaches
//! the network, so no code path can change the org.

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant};

use reqwest::{Method, Url};
use tokio::sync::Semaphore;

use crate::live::LiveError;
use crate::live::auth::TokenCache;
use crate::live::progress::Progress;
use crate::live::secret::Secret;

/// Retry, paging and budget settings (from [`crate::live::LiveOptions`]).
#[derive(Debug, Clone)]
pub(crate) struct Policy {
    pub request_timeout: Duration,
    pub max_retries: u32,
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    pub page_size: u32,
    pub max_pages: u32,
    pub budget: Duration,
}

/// A fully read response.
pub(crate) struct Reply {
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub body: Vec<u8>,
}

/// What a GET of one JSON document gave.
pub(crate) enum Fetched {
    Json(serde_json::Value),
    /// `403` (no permission) or `404` (feature absent): not fatal, recorded as missing.
    Denied(u16),
}

/// What a paged listing gave.
pub(crate) enum Listing {
    Items(Vec<serde_json::Value>),
    Denied(u16),
}

/// How a listing pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Paging {
    /// `pageNumber`/`pageSize`, continued while the response has a `nextUri`.
    Numbered,
    /// Cursor listings (`/api/v2/processautomation/triggers`): the query of `nextUri` is followed.
    Cursor,
    /// One document, no paging.
    Single,
}

/// The shared HTTP state of one fetch.
pub(crate) struct Http {
    client: reqwest::Client,
    api_base: Url,
    token_url: Url,
    client_id: String,
    client_secret: Secret,
    pub(crate) tokens: TokenCache,
    permits: Semaphore,
    pub(crate) policy: Policy,
    deadline: Instant,
    pub(crate) progress: Progress,
}

/// Is `method url` something cxlint may send? `GET` below the API base, or `POST` to the token URL.
/// This is the read-only guarantee; [`Http::request`] calls it for every request.
pub fn request_allowed(method: &Method, url: &Url, api_base: &Url, token_url: &Url) -> bool {
    if *method == Method::GET {
        url.origin() == api_base.origin()
            && url
                .path()
                .starts_with(api_base.path().trim_end_matches('/'))
    } else if *method == Method::POST {
        url.origin() == token_url.origin()
            && url.path() == token_url.path()
            && url.query().is_none()
    } else {
        false
    }
}

impl Http {
    pub(crate) fn new(
        api_base: Url,
        token_url: Url,
        client_id: String,
        client_secret: Secret,
        concurrency: usize,
        policy: Policy,
        progress: Progress,
    ) -> Result<Self, LiveError> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("cxlint/", env!("CARGO_PKG_VERSION")))
            // A redirect is never expected; following one could carry the token elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(policy.request_timeout)
            .build()
            .map_err(|e| LiveError::Setup(describe(&e)))?;
        Ok(Http {
            client,
            api_base,
            token_url,
            client_id,
            client_secret,
            tokens: TokenCache::default(),
            permits: Semaphore::new(concurrency.max(1)),
            deadline: Instant::now() + policy.budget,
            policy,
            progress,
        })
    }

    pub(crate) fn token_url(&self) -> &Url {
        &self.token_url
    }

    pub(crate) fn client_id(&self) -> &str {
        &self.client_id
    }

    pub(crate) fn client_secret(&self) -> &Secret {
        &self.client_secret
    }

    /// The API URL of `path` (which starts with `/api/v2/`), below the API base's own path so a
    /// proxy prefix is kept.
    pub(crate) fn api_url(&self, path: &str) -> Url {
        let mut url = self.api_base.clone();
        let joined = format!("{}{}", self.api_base.path().trim_end_matches('/'), path);
        url.set_path(&joined);
        url.set_query(None);
        url
    }

    /// Start building a request: the only way this module makes one, and the method guard.
    pub(crate) fn request(
        &self,
        method: Method,
        url: &Url,
    ) -> Result<reqwest::RequestBuilder, LiveError> {
        if !request_allowed(&method, url, &self.api_base, &self.token_url) {
            return Err(LiveError::MethodRefused {
                method: method.to_string(),
                url: url.to_string(),
            });
        }
        let timeout = self
            .policy
            .request_timeout
            .min(self.remaining())
            .max(Duration::from_millis(1));
        Ok(self.client.request(method, url.clone()).timeout(timeout))
    }

    /// Send a request within the concurrency bound and read its whole body; logs the outcome for
    /// `--verbose` (method, URL, status, time; never headers).
    pub(crate) async fn execute(
        &self,
        method: &Method,
        request: reqwest::RequestBuilder,
        url: &Url,
    ) -> Result<Reply, reqwest::Error> {
        let _permit = self.permits.acquire().await;
        let started = Instant::now();
        let result = async {
            let response = request.send().await?;
            let status = response.status().as_u16();
            let retry_after = retry_after(&response);
            let body = response.bytes().await?.to_vec();
            Ok::<_, reqwest::Error>(Reply {
                status,
                retry_after,
                body,
            })
        }
        .await;
        let ms = started.elapsed().as_millis();
        match &result {
            Ok(reply) => self
                .progress
                .log(&format!("{method} {url} -> {} ({ms} ms)", reply.status)),
            Err(e) => self
                .progress
                .log(&format!("{method} {url} -> {} ({ms} ms)", describe(e))),
        }
        result
    }

    fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// Fail once the total time budget is spent.
    pub(crate) fn check_budget(&self, endpoint: &str) -> Result<(), LiveError> {
        if self.remaining().is_zero() {
            return Err(self.budget_error(endpoint));
        }
        Ok(())
    }

    fn budget_error(&self, endpoint: &str) -> LiveError {
        LiveError::BudgetExceeded {
            endpoint: endpoint.to_owned(),
            budget_secs: self.policy.budget.as_secs(),
        }
    }

    /// GET one JSON document with the bearer token, retrying what is worth retrying.
    pub(crate) async fn get_json(&self, url: &Url) -> Result<Fetched, LiveError> {
        let endpoint = url.path().to_owned();
        let mut attempt = Attempt::new("GET", &endpoint);
        let mut reauthenticated = false;
        loop {
            self.check_budget(&endpoint)?;
            let (token, generation) = self.tokens.current(self).await?;
            let request = self
                .request(Method::GET, url)?
                .bearer_auth(token.expose())
                .header(reqwest::header::ACCEPT, "application/json");
            drop(token);
            let reply = match self.execute(&Method::GET, request, url).await {
                Ok(reply) => reply,
                Err(e) => {
                    attempt.transient(self, describe(&e), None).await?;
                    continue;
                }
            };
            match reply.status {
                200..=299 => {
                    return serde_json::from_slice(&reply.body)
                        .map(Fetched::Json)
                        .map_err(|e| LiveError::Malformed {
                            endpoint,
                            reason: format!("invalid json ({})", e),
                        });
                }
                // An expired or revoked token: fetch a new one, once per request.
                401 if !reauthenticated => {
                    reauthenticated = true;
                    self.tokens.refresh(self, generation).await?;
                }
                401 => return Err(LiveError::Unauthorized { endpoint }),
                403 | 404 => return Ok(Fetched::Denied(reply.status)),
                429 | 500..=599 => {
                    attempt
                        .transient(self, format!("HTTP {}", reply.status), reply.retry_after)
                        .await?;
                }
                status => return Err(LiveError::Http { endpoint, status }),
            }
        }
    }

    /// Every entity of a listing. Numbered listings request `pageNumber` 1, 2, ... and stop when a
    /// page has no `nextUri` (`pageCount` is not trusted: it is stale while the org changes), with
    /// a hard page cap against a server that never stops.
    pub(crate) async fn list_all(&self, path: &str, paging: Paging) -> Result<Listing, LiveError> {
        let mut items = Vec::new();
        let mut url = self.api_url(path);
        if paging != Paging::Single {
            url.query_pairs_mut()
                .append_pair("pageSize", &self.policy.page_size.to_string());
        }
        let mut page: u32 = 1;
        loop {
            let mut page_url = url.clone();
            if paging == Paging::Numbered {
                page_url
                    .query_pairs_mut()
                    .append_pair("pageNumber", &page.to_string());
            }
            let doc = match self.get_json(&page_url).await? {
                Fetched::Json(doc) => doc,
                Fetched::Denied(status) => return Ok(Listing::Denied(status)),
            };
            if paging == Paging::Single {
                items.push(doc);
                return Ok(Listing::Items(items));
            }
            let Some(entities) = doc.get("entities").and_then(|e| e.as_array()) else {
                return Err(LiveError::Malformed {
                    endpoint: path.to_owned(),
                    reason: "no `entities` array in the listing".to_owned(),
                });
            };
            let empty_page = entities.is_empty();
            items.extend(entities.iter().cloned());
            let next = doc
                .get("nextUri")
                .and_then(|n| n.as_str())
                .filter(|n| !n.is_empty());
            let Some(next) = next else { break };
            // An empty page that still claims a successor would loop forever.
            if empty_page {
                break;
            }
            page += 1;
            if page > self.policy.max_pages {
                return Err(LiveError::TooManyPages {
                    endpoint: path.to_owned(),
                    cap: self.policy.max_pages,
                });
            }
            if paging == Paging::Cursor {
                // Follow the cursor, but only its query: the path and host stay ours.
                let query = next.split_once('?').map_or("", |(_, q)| q);
                url = self.api_url(path);
                url.set_query(Some(query));
            }
        }
        Ok(Listing::Items(items))
    }
}

/// Failures of one request so far, and the backoff between them.
pub(crate) struct Attempt {
    method: &'static str,
    endpoint: String,
    failures: u32,
}

impl Attempt {
    pub(crate) fn new(method: &'static str, endpoint: &str) -> Self {
        Attempt {
            method,
            endpoint: endpoint.to_owned(),
            failures: 0,
        }
    }

    /// Record a transient failure and wait before the next try: `Retry-After` when the server gave
    /// one, else capped exponential backoff with jitter. Errors when retries or the budget run out.
    pub(crate) async fn transient(
        &mut self,
        http: &Http,
        last: String,
        retry_after: Option<Duration>,
    ) -> Result<(), LiveError> {
        self.failures += 1;
        if self.failures > http.policy.max_retries {
            return Err(LiveError::RetriesExhausted {
                method: self.method,
                endpoint: self.endpoint.clone(),
                attempts: self.failures,
                last,
            });
        }
        let wait = retry_after.unwrap_or_else(|| backoff(&http.policy, self.failures));
        if wait >= http.remaining() {
            return Err(http.budget_error(&self.endpoint));
        }
        tokio::time::sleep(wait).await;
        Ok(())
    }
}

/// Exponential backoff for the `n`th failure (1-based), capped, with "equal jitter": half the
/// delay is fixed, half random, so concurrent tasks do not retry in lockstep.
fn backoff(policy: &Policy, n: u32) -> Duration {
    let exp = policy.backoff_base.saturating_mul(1u32 << (n - 1).min(16));
    let capped = exp.min(policy.backoff_cap);
    let half = capped / 2;
    let jitter_ms = half.as_millis() as u64;
    let random = if jitter_ms == 0 {
        0
    } else {
        random_u64() % (jitter_ms + 1)
    };
    half + Duration::from_millis(random)
}

/// A random number without a dependency: std seeds every `RandomState` from the OS.
pub(crate) fn random_u64() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    h.finish()
}

/// `Retry-After` in seconds (Genesys sends an integer); an HTTP date is not used by the API.
pub(crate) fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?;
    let secs: f64 = value.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(3600.0)))
}

/// A short description of a transport error, for messages and logs (no URL, no headers).
pub(crate) fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "reading the response failed"
    } else {
        "request failed"
    };
    let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(e);
    let mut innermost = None;
    while let Some(c) = cause {
        innermost = Some(c);
        cause = c.source();
    }
    match innermost {
        Some(c) if !e.is_timeout() => format!("{kind}: {c}"),
        _ => kind.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test url")
    }

    #[test]
    fn guard_allows_only_get_and_the_token_post() {
        let api = url("https://api.mypurecloud.com");
        let token = url("https://login.mypurecloud.com/oauth/token");
        let queues = url("https://api.mypurecloud.com/api/v2/routing/queues?pageNumber=1");
        assert!(request_allowed(&Method::GET, &queues, &api, &token));
        assert!(request_allowed(&Method::POST, &token, &api, &token));
        for m in [
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::POST,
            Method::HEAD,
            Method::OPTIONS,
        ] {
            assert!(
                !request_allowed(&m, &queues, &api, &token),
                "{m} must be refused"
            );
        }
        // GET elsewhere (a redirect target, another host) and POST with a query are refused too.
        assert!(!request_allowed(
            &Method::GET,
            &url("https://evil.example/api/v2/x"),
            &api,
            &token
        ));
        assert!(!request_allowed(
            &Method::POST,
            &url("https://login.mypurecloud.com/oauth/token?x=1"),
            &api,
            &token
        ));
        assert!(!request_allowed(&Method::DELETE, &token, &api, &token));
    }

    #[test]
    fn guard_respects_a_proxy_prefix() {
        let api = url("http://127.0.0.1:8080/genesys/");
        let token = url("http://127.0.0.1:8080/genesys/oauth/token");
        assert!(request_allowed(
            &Method::GET,
            &url("http://127.0.0.1:8080/genesys/api/v2/flows"),
            &api,
            &token
        ));
        assert!(!request_allowed(
            &Method::GET,
            &url("http://127.0.0.1:8080/other/api/v2/flows"),
            &api,
            &token
        ));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = Policy {
            request_timeout: Duration::from_secs(1),
            max_retries: 5,
            backoff_base: Duration::from_millis(100),
            backoff_cap: Duration::from_millis(1000),
            page_size: 100,
            max_pages: 10,
            budget: Duration::from_secs(10),
        };
        for _ in 0..20 {
            let first = backoff(&p, 1);
            assert!(
                first >= Duration::from_millis(50) && first <= Duration::from_millis(100),
                "{first:?}"
            );
            let late = backoff(&p, 30);
            assert!(
                late >= Duration::from_millis(500) && late <= Duration::from_millis(1000),
                "{late:?}"
            );
        }
    }
}

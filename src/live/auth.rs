//! OAuth client-credentials tokens: the token request and the shared token cache.
//!
//! `POST {login-base}/oauth/token` with `grant_type=client_credentials` and HTTP Basic
//! `client_id:secret`, as the provider does. The token is kept in a [`Secret`]. A `401` on a
//! listing invalidates the token once: the first task to see it fetches a new one (the generation
//! counter makes the others reuse it instead of stampeding the login host).

use tokio::sync::Mutex;

use crate::live::LiveError;
use crate::live::client::{Attempt, Http, describe};
use crate::live::secret::Secret;

/// The current access token and how many times it has been fetched.
#[derive(Default)]
pub(crate) struct TokenCache {
    state: Mutex<(Option<Secret>, u64)>,
}

impl TokenCache {
    /// The current token and its generation, fetching the first one on demand.
    pub(crate) async fn current(&self, http: &Http) -> Result<(Secret, u64), LiveError> {
        let mut state = self.state.lock().await;
        if let Some(token) = &state.0 {
            return Ok((token.clone(), state.1));
        }
        let token = request_token(http).await?;
        state.0 = Some(token.clone());
        state.1 += 1;
        Ok((token, state.1))
    }

    /// Replace a token the API rejected. If another task already replaced generation `seen`, its
    /// token is used as is.
    pub(crate) async fn refresh(&self, http: &Http, seen: u64) -> Result<(), LiveError> {
        let mut state = self.state.lock().await;
        if state.1 != seen && state.0.is_some() {
            return Ok(());
        }
        let token = request_token(http).await?;
        state.0 = Some(token);
        state.1 += 1;
        Ok(())
    }
}

/// One token request, with the same retry policy as listings for `429`, `5xx` and network errors.
async fn request_token(http: &Http) -> Result<Secret, LiveError> {
    let url = http.token_url().clone();
    let mut attempt = Attempt::new("POST", url.path());
    loop {
        http.check_budget(url.path())?;
        let request = http
            .request(reqwest::Method::POST, &url)?
            .basic_auth(http.client_id(), Some(http.client_secret().expose()))
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(reqwest::header::ACCEPT, "application/json")
            .body("grant_type=client_credentials");
        let reply = match http.execute(&reqwest::Method::POST, request, &url).await {
            Ok(reply) => reply,
            Err(e) => {
                attempt.transient(http, describe(&e), None).await?;
                continue;
            }
        };
        match reply.status {
            200..=299 => return parse_token(&reply.body, url.path()),
            429 | 500..=599 => {
                attempt
                    .transient(http, format!("HTTP {}", reply.status), reply.retry_after)
                    .await?;
            }
            status => {
                return Err(LiveError::Auth {
                    url: url.to_string(),
                    status,
                    detail: oauth_error_detail(&reply.body),
                });
            }
        }
    }
}

/// The `access_token` of a token response; the body is dropped right after.
fn parse_token(body: &[u8], endpoint: &str) -> Result<Secret, LiveError> {
    #[derive(serde::Deserialize)]
    struct TokenResponse {
        access_token: String,
    }
    let parsed: TokenResponse = serde_json::from_slice(body).map_err(|_| LiveError::Malformed {
        endpoint: endpoint.to_owned(),
        // Not the serde message: it could quote part of the body, and the body holds the token.
        reason: "expected a json object with an `access_token` string".to_owned(),
    })?;
    if parsed.access_token.is_empty() {
        return Err(LiveError::Malformed {
            endpoint: endpoint.to_owned(),
            reason: "empty `access_token`".to_owned(),
        });
    }
    Ok(Secret::new(parsed.access_token))
}

/// The OAuth `error` code of a rejected token request (`invalid_client`), when it is a plain
/// identifier; free text from the server is not echoed.
fn oauth_error_detail(body: &[u8]) -> String {
    let code = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|j| j.get("error").and_then(|e| e.as_str()).map(str::to_owned));
    match code {
        Some(c)
            if !c.is_empty()
                && c.len() < 64
                && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_') =>
        {
            format!(" ({c}): check the client id, the secret and the region")
        }
        _ => ": check the client id, the secret and the region".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_parse_errors_do_not_echo_the_body() {
        let e = parse_token(
            br#"{"access_token": 42, "x": "tok-secret"}"#,
            "/oauth/token",
        )
        .expect_err("bad");
        assert!(!e.to_string().contains("tok-secret"));
        let t = parse_token(
            br#"{"access_token": "abc", "expires_in": 86400}"#,
            "/oauth/token",
        )
        .expect("ok");
        assert_eq!(t.expose(), "abc");
    }

    #[test]
    fn error_detail_only_quotes_identifiers() {
        assert!(oauth_error_detail(br#"{"error":"invalid_client"}"#).contains("(invalid_client)"));
        let d = oauth_error_detail(br#"{"error":"secret s3cr3t was wrong"}"#);
        assert!(!d.contains("s3cr3t"));
    }
}

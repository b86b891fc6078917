//! The live client against a stand-in Genesys Cloud API on loopback (no test reaches the internet).
//!
//! The stand-in is a small HTTP/1.1 server on `std::net::TcpListener`, one thread per connection,
//! serving the recorded listings of `testdata/live/api/` two items per page. It is ours rather than
//! a mocking crate because the tests need behaviour such crates make awkward: stateful faults that
//! fire once (429, 503, a revoked token), responses slower than the client's timeout, a lying
//! `pageCount`, cursor paging, and a log of every method and path the client sent.

#![cfg(feature = "live")]

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cxlint::live::{self, LiveError, LiveOptions, Secret};
use cxlint::snapshot::{self, Snapshot};
use serde_json::{Value, json};

const CLIENT_ID: &str = "stand-in-client";
const CLIENT_SECRET: &str = "Sup3r-S3cret-Value-Never-Printed";
const PAGE: usize = 2;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/live")
}

// ---------------------------------------------------------------------------------------------
// The stand-in server

#[derive(Clone, Copy, Debug)]
enum Fault {
    /// Answer this status (with `Retry-After` seconds when given).
    Status(u16, Option<u32>),
    /// Answer normally, but only after this long.
    Slow(Duration),
    /// Answer 200 with a truncated JSON body.
    Malformed,
    /// Revoke every token issued so far, and answer 401.
    ExpireToken,
    /// Answer 401 and revoke nothing: this endpoint rejects every token, fresh or not. Unlike
    /// `ExpireToken` repeated, it leaves concurrent listings alone, so which listing fails is
    /// certain.
    RejectToken,
}

struct Rule {
    path: String,
    fault: Fault,
    remaining: u32,
}

#[derive(Default)]
struct State {
    /// `METHOD path?query` of every request, in arrival order.
    log: Vec<(String, String)>,
    rules: Vec<Rule>,
    tokens_issued: u32,
    valid_tokens: HashSet<String>,
}

struct StandIn {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl StandIn {
    fn start() -> StandIn {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("addr");
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, stop2) = (Arc::clone(&state), Arc::clone(&stop));
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let st = Arc::clone(&st);
                std::thread::spawn(move || {
                    let _ = serve(conn, &st);
                });
            }
        });
        StandIn { addr, state, stop }
    }

    fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Inject `fault` on the next `times` requests to `path` (`u32::MAX`: always).
    fn fault(&self, path: &str, fault: Fault, times: u32) -> &Self {
        self.state.lock().expect("state").rules.push(Rule {
            path: path.to_owned(),
            fault,
            remaining: times,
        });
        self
    }

    fn log(&self) -> Vec<(String, String)> {
        self.state.lock().expect("state").log.clone()
    }

    fn count(&self, method: &str, path: &str) -> usize {
        self.log()
            .iter()
            .filter(|(m, p)| m == method && p.split('?').next() == Some(path))
            .count()
    }

    fn options(&self) -> LiveOptions {
        let mut o = LiveOptions::new(CLIENT_ID, Secret::new(CLIENT_SECRET));
        o.api_base = Some(self.base());
        o.request_timeout = Duration::from_millis(600);
        o.total_budget = Duration::from_secs(15);
        o.max_retries = 3;
        o.backoff_base = Duration::from_millis(20);
        o.backoff_cap = Duration::from_millis(100);
        o.progress = false;
        o
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so its thread ends.
        let _ = TcpStream::connect(self.addr);
    }
}

struct Request {
    method: String,
    path: String,
    query: HashMap<String, String>,
    raw_target: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

fn read_request(conn: &TcpStream) -> std::io::Result<Request> {
    let mut reader = BufReader::new(conn);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let raw_target = parts.next().unwrap_or_default().to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body)?;
    let (path, q) = raw_target.split_once('?').unwrap_or((&raw_target, ""));
    let query = q
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    Ok(Request {
        method,
        path: path.to_owned(),
        query,
        raw_target: raw_target.clone(),
        headers,
        body,
    })
}

fn respond(
    mut conn: &TcpStream,
    status: u16,
    extra: &[(&str, String)],
    body: &[u8],
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    conn.write_all(head.as_bytes())?;
    conn.write_all(body)?;
    conn.flush()
}

fn serve(conn: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    let req = read_request(&conn)?;
    if req.method.is_empty() {
        // A connection closed before sending anything (an idle pooled connection): not a request.
        return Ok(());
    }
    let fault = {
        let mut st = state.lock().expect("state");
        st.log.push((req.method.clone(), req.raw_target.clone()));
        st.rules
            .iter_mut()
            .find(|r| r.path == req.path && r.remaining > 0)
            .map(|r| {
                r.remaining = r.remaining.saturating_sub(1);
                r.fault
            })
    };

    if req.method == "POST" && req.path == "/oauth/token" {
        let expected = format!("Basic {}", base64(&format!("{CLIENT_ID}:{CLIENT_SECRET}")));
        if req.headers.get("authorization") != Some(&expected)
            || req.body != b"grant_type=client_credentials"
        {
            return respond(
                &conn,
                401,
                &[],
                br#"{"error":"invalid_client","description":"bad credentials"}"#,
            );
        }
        let mut st = state.lock().expect("state");
        st.tokens_issued += 1;
        let token = format!("stand-in-token-{}", st.tokens_issued);
        st.valid_tokens.insert(token.clone());
        let body = json!({"access_token": token, "token_type": "bearer", "expires_in": 86399});
        return respond(&conn, 200, &[], body.to_string().as_bytes());
    }
    if req.method != "GET" {
        return respond(&conn, 405, &[], br#"{"message":"read-only stand-in"}"#);
    }
    match fault {
        Some(Fault::Status(code, retry_after)) => {
            let extra: Vec<(&str, String)> = retry_after
                .map(|s| ("retry-after", s.to_string()))
                .into_iter()
                .collect();
            return respond(&conn, code, &extra, br#"{"message":"injected fault"}"#);
        }
        Some(Fault::Slow(d)) => std::thread::sleep(d),
        Some(Fault::Malformed) => return respond(&conn, 200, &[], br#"{"entities": [{"id": "#),
        Some(Fault::ExpireToken) => {
            state.lock().expect("state").valid_tokens.clear();
            return respond(&conn, 401, &[], br#"{"message":"token expired"}"#);
        }
        Some(Fault::RejectToken) => {
            return respond(&conn, 401, &[], br#"{"message":"unauthorized"}"#);
        }
        None => {}
    }
    let token = req
        .headers
        .get("authorization")
        .and_then(|a| a.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !state.lock().expect("state").valid_tokens.contains(token) {
        return respond(&conn, 401, &[], br#"{"message":"unauthorized"}"#);
    }
    match route(&req) {
        Some(body) => respond(&conn, 200, &[], body.to_string().as_bytes()),
        None => respond(&conn, 404, &[], br#"{"message":"not found"}"#),
    }
}

fn load(name: &str) -> Value {
    let text =
        std::fs::read_to_string(testdata().join("api").join(name)).expect("recorded response");
    serde_json::from_str(&text).expect("recorded json")
}

fn route(req: &Request) -> Option<Value> {
    let rest = req.path.strip_prefix("/api/v2/")?;
    let segments: Vec<&str> = rest.split('/').collect();
    let entities = match segments.as_slice() {
        ["routing", "queues", id, "wrapupcodes"] => {
            load("routing_queues_wrapupcodes.json").get(*id)?.clone()
        }
        ["integrations", id, "config", "current"] => {
            return load("integrations_config_current.json").get(*id).cloned();
        }
        _ => {
            let name = format!("{}.json", rest.replace('/', "_"));
            if !testdata().join("api").join(&name).exists() {
                return None;
            }
            load(&name)
        }
    };
    let all = entities.get("entities")?.as_array()?.clone();
    let size = req
        .query
        .get("pageSize")
        .and_then(|s| s.parse().ok())
        .unwrap_or(25usize)
        .clamp(1, PAGE);
    if rest == "processautomation/triggers" {
        // Cursor paging: `after` is an opaque cursor, no page numbers.
        let start = req
            .query
            .get("after")
            .and_then(|c| c.strip_prefix('c'))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let page: Vec<Value> = all.iter().skip(start).take(size).cloned().collect();
        let mut doc = json!({"entities": page});
        if start + size < all.len() {
            doc["nextUri"] = json!(format!(
                "/api/v2/{rest}?pageSize={size}&after=c{}",
                start + size
            ));
        }
        return Some(doc);
    }
    let number: usize = req
        .query
        .get("pageNumber")
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
        .max(1);
    let page: Vec<Value> = all
        .iter()
        .skip((number - 1) * size)
        .take(size)
        .cloned()
        .collect();
    // `pageCount` lies on purpose: a client that trusts it stops after page one.
    let mut doc = json!({"entities": page, "pageSize": size, "pageNumber": number, "total": all.len(), "pageCount": 1});
    if number * size < all.len() {
        doc["nextUri"] = json!(format!(
            "/api/v2/{rest}?pageSize={size}&pageNumber={}",
            number + 1
        ));
    }
    Some(doc)
}

fn base64(input: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in input.as_bytes().chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// The snapshot with the run-dependent fields fixed, as the golden file stores it.
fn normalised(mut s: Snapshot) -> Snapshot {
    s.fetched_at = "2026-01-01T00:00:00Z".to_owned();
    s.api_base = "http://stand-in.invalid".to_owned();
    s.cxlint_version = "0.0.0-test".to_owned();
    s
}

fn schema_validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/cxlint-snapshot.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("schema file"))
        .expect("schema json");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("valid schema")
}

fn schema_errors(instance: &Value) -> Vec<String> {
    schema_validator()
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn assert_only_reads(server: &StandIn) {
    for (method, target) in server.log() {
        let ok = method == "GET" || (method == "POST" && target == "/oauth/token");
        assert!(ok, "the client sent `{method} {target}`");
    }
}

// ---------------------------------------------------------------------------------------------
// Tests

#[test]
fn pages_retries_and_matches_the_recorded_snapshot() {
    let server = StandIn::start();
    server
        .fault("/api/v2/routing/queues", Fault::Status(429, Some(1)), 1)
        .fault("/api/v2/routing/wrapupcodes", Fault::Status(503, None), 1)
        .fault("/api/v2/flows", Fault::Status(503, None), 1);
    let started = Instant::now();
    let snap = live::fetch_snapshot(&server.options()).expect("snapshot");
    // The 429 asked for one second, and the client waited it out.
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        server.count("GET", "/api/v2/routing/queues"),
        3,
        "429 then pages 1 and 2 of 3 queues"
    );
    assert_eq!(
        server.count("GET", "/api/v2/routing/wrapupcodes"),
        4,
        "503 then pages 1-3 of 5 codes"
    );
    assert_eq!(
        server.count("GET", "/api/v2/processautomation/triggers"),
        2,
        "two cursor pages"
    );
    assert_eq!(server.count("POST", "/oauth/token"), 1);
    assert_only_reads(&server);

    assert!(snap.missing.is_empty(), "{:?}", snap.missing);
    let counts = snapshot::counts_by_type(&snap);
    assert_eq!(
        counts["genesyscloud_routing_wrapupcode"], 5,
        "all pages, though pageCount says 1"
    );
    assert_eq!(counts["genesyscloud_routing_queue"], 3);
    assert_eq!(counts["genesyscloud_processautomation_trigger"], 3);
    let support = snap
        .resources
        .iter()
        .find(|r| r.name == "Support")
        .expect("queue Support");
    assert_eq!(
        support.attributes["wrapup_codes"].as_array().map(Vec::len),
        Some(3),
        "codes across two pages"
    );

    let text = snap.to_json_pretty();
    assert!(
        !text.contains("rec0rded-oauth-client-secret"),
        "an OAuth client secret reached the snapshot"
    );
    assert!(
        !text.contains("stand-in-token"),
        "the token reached the snapshot"
    );
    assert!(!text.contains(CLIENT_SECRET));
    let errors = schema_errors(&serde_json::from_str(&text).expect("json"));
    assert!(
        errors.is_empty(),
        "fresh snapshot violates the schema: {errors:#?}"
    );

    let golden_path = testdata().join("snapshot.json");
    let got = normalised(snap).to_json_pretty();
    if std::env::var_os("CXLINT_BLESS").is_some() {
        std::fs::write(&golden_path, &got).expect("bless");
    }
    let want = std::fs::read_to_string(&golden_path)
        .expect("testdata/live/snapshot.json (bless with CXLINT_BLESS=1)");
    assert_eq!(
        got, want,
        "snapshot differs from testdata/live/snapshot.json"
    );
}

#[test]
fn recorded_snapshot_validates_and_loads() {
    let text = std::fs::read_to_string(testdata().join("snapshot.json")).expect("fixture");
    let json: Value = serde_json::from_str(&text).expect("json");
    assert!(
        schema_errors(&json).is_empty(),
        "{:#?}",
        schema_errors(&json)
    );
    assert!(snapshot::is_snapshot(&json));
    let doc = snapshot::parse_snapshot(cxlint::source::FileId(0), &text).expect("loads");
    assert_eq!(doc.kind, cxlint::load::StateKind::Snapshot);
    let queue = doc
        .resources
        .iter()
        .find(|r| r.address == "genesyscloud_routing_queue.Outbound_Dialer")
        .expect("queue");
    assert_eq!(
        queue
            .attrs
            .get("acw_wrapup_prompt")
            .and_then(|v| v.as_str()),
        Some("MANDATORY")
    );

    // The schema rejects what it must: a secret on a client, a wrong version, an unknown type.
    let mut bad = json.clone();
    let client = bad["resources"]
        .as_array_mut()
        .expect("resources")
        .iter_mut()
        .find(|r| r["type"] == "genesyscloud_oauth_client")
        .expect("a client");
    client["attributes"]["secret"] = json!("leaked");
    assert!(!schema_errors(&bad).is_empty());
    let mut bad = json.clone();
    bad["version"] = json!(2);
    assert!(!schema_errors(&bad).is_empty());
    let mut bad = json;
    bad["resources"][0]["type"] = json!("aws_instance");
    assert!(!schema_errors(&bad).is_empty());
}

#[test]
fn forbidden_listing_is_recorded_as_missing() {
    let server = StandIn::start();
    server.fault("/api/v2/oauth/clients", Fault::Status(403, None), u32::MAX);
    let snap = live::fetch_snapshot(&server.options()).expect("a 403 is not fatal");
    assert_eq!(snap.missing.len(), 1);
    let m = &snap.missing[0];
    assert_eq!(
        (
            m.rtype.as_str(),
            m.endpoint.as_str(),
            m.status,
            m.permission.as_deref()
        ),
        (
            "genesyscloud_oauth_client",
            "/api/v2/oauth/clients",
            403,
            Some("oauth:client:view")
        )
    );
    let counts = snapshot::counts_by_type(&snap);
    assert!(!counts.contains_key("genesyscloud_oauth_client"));
    assert_eq!(
        counts["genesyscloud_routing_wrapupcode"], 5,
        "the rest is complete"
    );
    assert!(schema_errors(&serde_json::to_value(&snap).expect("json")).is_empty());
    let doc = snap.into_state_doc();
    assert_eq!(doc.incomplete_types, ["genesyscloud_oauth_client"]);
}

#[test]
fn forbidden_queue_codes_leave_wrapup_codes_unknown() {
    let server = StandIn::start();
    let sales = "/api/v2/routing/queues/0000009e-0000-4000-8000-000000000002/wrapupcodes";
    server.fault(sales, Fault::Status(403, None), u32::MAX);
    let snap = live::fetch_snapshot(&server.options()).expect("snapshot");
    let sales = snap
        .resources
        .iter()
        .find(|r| r.name == "Sales" && r.rtype.ends_with("queue"))
        .expect("Sales");
    assert!(
        !sales.attributes.contains_key("wrapup_codes"),
        "unknown, never an empty list"
    );
    assert_eq!(
        snap.missing[0].endpoint,
        "/api/v2/routing/queues/{queueId}/wrapupcodes"
    );
    assert_eq!(
        snap.missing[0].permission.as_deref(),
        Some("routing:queue:view")
    );
}

#[test]
fn slow_response_is_retried_then_succeeds() {
    let server = StandIn::start();
    server.fault(
        "/api/v2/authorization/roles",
        Fault::Slow(Duration::from_millis(1500)),
        1,
    );
    let mut opts = server.options();
    opts.request_timeout = Duration::from_millis(300);
    let snap = live::fetch_snapshot(&opts).expect("retry after the timeout");
    assert_eq!(snapshot::counts_by_type(&snap)["genesyscloud_auth_role"], 2);
    assert!(server.count("GET", "/api/v2/authorization/roles") >= 2);
}

#[test]
fn persistent_slowness_is_a_clear_error_naming_the_endpoint() {
    let server = StandIn::start();
    server.fault(
        "/api/v2/flows",
        Fault::Slow(Duration::from_millis(1500)),
        u32::MAX,
    );
    let mut opts = server.options();
    opts.request_timeout = Duration::from_millis(200);
    opts.max_retries = 2;
    let err = live::fetch_snapshot(&opts).expect_err("never answers in time");
    let msg = err.to_string();
    assert!(
        matches!(err, LiveError::RetriesExhausted { attempts: 3, .. }),
        "{msg}"
    );
    assert!(
        msg.contains("GET /api/v2/flows") && msg.contains("timed out"),
        "{msg}"
    );
}

#[test]
fn server_errors_exhaust_retries_with_a_clear_error() {
    let server = StandIn::start();
    server.fault(
        "/api/v2/outbound/campaigns",
        Fault::Status(503, None),
        u32::MAX,
    );
    let mut opts = server.options();
    opts.max_retries = 2;
    let err = live::fetch_snapshot(&opts).expect_err("always 503");
    assert_eq!(
        err.to_string(),
        "`GET /api/v2/outbound/campaigns` failed after 3 attempts: HTTP 503"
    );
    assert_eq!(server.count("GET", "/api/v2/outbound/campaigns"), 3);
}

#[test]
fn total_budget_bounds_the_run() {
    let server = StandIn::start();
    server.fault(
        "/api/v2/integrations/actions",
        Fault::Status(429, Some(5)),
        u32::MAX,
    );
    let mut opts = server.options();
    opts.total_budget = Duration::from_secs(1);
    let started = Instant::now();
    let err = live::fetch_snapshot(&opts).expect_err("the wait exceeds the budget");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(
        err.to_string().contains("/api/v2/integrations/actions"),
        "{err}"
    );
    assert!(matches!(err, LiveError::BudgetExceeded { .. }), "{err}");
}

#[test]
fn malformed_json_names_the_endpoint() {
    let server = StandIn::start();
    server.fault("/api/v2/authorization/divisions", Fault::Malformed, 1);
    let err = live::fetch_snapshot(&server.options()).expect_err("truncated body");
    let msg = err.to_string();
    assert!(
        msg.starts_with("malformed response from `/api/v2/authorization/divisions`: invalid json"),
        "{msg}"
    );
}

#[test]
fn expired_token_reauthenticates_once() {
    let server = StandIn::start();
    server.fault("/api/v2/routing/queues", Fault::ExpireToken, 1);
    let snap = live::fetch_snapshot(&server.options()).expect("re-authenticated");
    assert_eq!(
        server.count("POST", "/oauth/token"),
        2,
        "one fresh token, not one per request"
    );
    assert_eq!(
        snapshot::counts_by_type(&snap)["genesyscloud_routing_queue"],
        3
    );
    assert_only_reads(&server);
}

#[test]
fn token_rejected_again_after_reauth_is_an_error() {
    let server = StandIn::start();
    // Revoking every token on each call to the failing listing would also make concurrent
    // listings see 401 twice, and then whichever fails first is the error (a flaky test).
    server.fault("/api/v2/flows", Fault::RejectToken, u32::MAX);
    let err = live::fetch_snapshot(&server.options()).expect_err("401 twice");
    assert_eq!(
        err.to_string(),
        "`GET /api/v2/flows` answered HTTP 401 again after re-authenticating"
    );
    assert_eq!(
        server.count("GET", "/api/v2/flows"),
        2,
        "one retry with a fresh token, then the error"
    );
}

#[test]
fn bad_credentials_never_echo_the_secret() {
    let server = StandIn::start();
    let mut opts = server.options();
    opts.client_secret = Secret::new("Wr0ng-But-Still-Secret");
    let err = live::fetch_snapshot(&opts).expect_err("rejected");
    let shown = format!("{err} / {err:?} / {opts:?}");
    assert!(
        shown.contains("authentication failed") && shown.contains("invalid_client"),
        "{shown}"
    );
    assert!(!shown.contains("Wr0ng-But-Still-Secret"), "{shown}");
    assert!(
        !shown.contains("bad credentials"),
        "free text from the server is not echoed"
    );
    assert_only_reads(&server);

    // Errors and Debug output after a mid-run failure hold neither the secret nor the token.
    let server = StandIn::start();
    server.fault("/api/v2/flows", Fault::Malformed, 1);
    let opts = server.options();
    let err = live::fetch_snapshot(&opts).expect_err("malformed");
    let shown = format!("{err} / {err:?} / {opts:?}");
    assert!(
        !shown.contains(CLIENT_SECRET) && !shown.contains("stand-in-token"),
        "{shown}"
    );
    assert!(shown.contains("[redacted]"));
}

#[test]
fn missing_credentials_and_unknown_region_fail_before_any_request() {
    let args = live::SnapshotArgs::default();
    let err = live::resolve_options(&args, &|_| None).expect_err("no credentials");
    let msg = err.to_string();
    assert!(
        msg.starts_with("missing credentials: set GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET"),
        "{msg}"
    );

    let env = |k: &str| match k {
        "GENESYSCLOUD_OAUTHCLIENT_ID" => Some("id".to_owned()),
        "GENESYSCLOUD_OAUTHCLIENT_SECRET" => Some(CLIENT_SECRET.to_owned()),
        "GENESYSCLOUD_REGION" => Some("atlantis-1".to_owned()),
        _ => None,
    };
    let err = live::resolve_options(&args, &env).expect_err("unknown region");
    let msg = err.to_string();
    assert!(
        msg.starts_with("unknown region `atlantis-1`; valid regions: us-east-1, "),
        "{msg}"
    );
    assert!(!format!("{err:?}").contains(CLIENT_SECRET));

    let opts = LiveOptions::new("", Secret::new(""));
    assert!(matches!(
        live::fetch_snapshot(&opts),
        Err(LiveError::MissingCredentials { .. })
    ));
}

#[test]
fn verbose_and_concurrency_one_still_complete() {
    let server = StandIn::start();
    let mut opts = server.options();
    opts.concurrency = 1;
    opts.verbose = true;
    let snap = live::fetch_snapshot(&opts).expect("snapshot");
    let full = live::fetch_snapshot(&server.options()).expect("snapshot");
    assert_eq!(
        normalised(snap),
        normalised(full),
        "concurrency does not change the result"
    );
}

#[test]
fn failed_write_leaves_no_partial_file() {
    let server = StandIn::start();
    let snap = live::fetch_snapshot(&server.options()).expect("snapshot");
    let dir = tempfile::tempdir().expect("tempdir");

    // The target is a directory: the rename fails after the temporary file was written.
    let target = dir.path().join("cxlint-snapshot.json");
    std::fs::create_dir(&target).expect("dir");
    assert!(live::write_snapshot_atomic(&target, &snap).is_err());
    assert!(target.is_dir(), "target unchanged");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        names,
        [std::ffi::OsString::from("cxlint-snapshot.json")],
        "no temporary file left"
    );

    // A failure just before the rename keeps the previous snapshot intact.
    let target = dir.path().join("org.json");
    std::fs::write(&target, "previous").expect("seed");
    let err = live::write_atomic(&target, snap.to_json_pretty().as_bytes(), |_| {
        Err(std::io::Error::other("killed"))
    });
    assert!(err.is_err());
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "previous");

    // And a normal write produces a file that loads back.
    live::write_snapshot_atomic(&target, &snap).expect("write");
    let text = std::fs::read_to_string(&target).expect("read");
    assert_eq!(
        snapshot::read_snapshot(cxlint::source::FileId(0), &text).expect("loads"),
        snap
    );
}

/// `cxlint snapshot --out` makes the directories missing on the way to the file (as `check
/// --output` does), still writing it atomically: it failed with "No such file or directory".
#[test]
fn snapshot_out_makes_missing_directories() {
    let server = StandIn::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cxlint"))
        .current_dir(dir.path())
        .env("GENESYSCLOUD_OAUTHCLIENT_ID", CLIENT_ID)
        .env("GENESYSCLOUD_OAUTHCLIENT_SECRET", CLIENT_SECRET)
        .env_remove("GENESYSCLOUD_REGION")
        .env("CI", "true")
        .args(["snapshot", "--api-base", &server.base()])
        .args(["--out", "exports/prod/org-snapshot.json"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr,
        "cxlint: wrote snapshot `exports/prod/org-snapshot.json`\n"
    );
    let text = std::fs::read_to_string(dir.path().join("exports/prod/org-snapshot.json"))
        .expect("written");
    let snap = snapshot::read_snapshot(cxlint::source::FileId(0), &text).expect("loads");
    let full = live::fetch_snapshot(&server.options()).expect("snapshot");
    assert_eq!(normalised(snap), normalised(full));
    let names: Vec<_> = std::fs::read_dir(dir.path().join("exports/prod"))
        .expect("ls")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["org-snapshot.json"], "no temporary file left");
    assert_only_reads(&server);
}

/// `cxlint snapshot -q` prints nothing when it succeeds (no summary line, no progress bar), but
/// its errors still: it had no `--quiet`, which `check` has.
#[test]
fn snapshot_quiet_prints_only_errors() {
    let server = StandIn::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |secret: &str, extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_cxlint"))
            .current_dir(dir.path())
            .env("GENESYSCLOUD_OAUTHCLIENT_ID", CLIENT_ID)
            .env("GENESYSCLOUD_OAUTHCLIENT_SECRET", secret)
            .env_remove("GENESYSCLOUD_REGION")
            .env("CI", "true")
            .args(["snapshot", "--api-base", &server.base()])
            .args(extra)
            .output()
            .expect("run")
    };
    let out = run(CLIENT_SECRET, &["-q", "--out", "org.json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!((stderr.as_ref(), out.stdout.as_slice()), ("", &b""[..]));
    let text = std::fs::read_to_string(dir.path().join("org.json")).expect("written");
    snapshot::read_snapshot(cxlint::source::FileId(0), &text).expect("loads");

    let out = run(
        "Wr0ng-But-Still-Secret",
        &["--quiet", "--out", "other.json"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("cxlint: error: ") && stderr.contains("authentication failed"),
        "{stderr}"
    );
    assert!(!dir.path().join("other.json").exists());

    // Quiet and verbose ask for opposite things: bad usage.
    let out = run(CLIENT_SECRET, &["-q", "-v"]);
    assert_eq!(out.status.code(), Some(2));
    assert_only_reads(&server);
}

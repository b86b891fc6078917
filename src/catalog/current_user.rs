//! Which operations act for the user who makes the request ("the logged in user").
//!
//! Such an operation reads or changes the caller's own things: `/api/v2/users/me`, the active
//! conversations of `GET /api/v2/conversations/emails`, the caller's schedule or time off. A
//! client-credentials token, the kind a data action runs with, has no user: Genesys answers that
//! the request requires a user context. The rule `current-user-endpoint` uses this
//! classification.
//!
//! It is derived from the catalog (a `me` or `mine` path segment, or a summary saying whose the
//! data is), not from a list of paths, so new operations are covered as they appear.

use super::paths::is_template_param;
use super::{Catalog, Operation};

/// Path prefixes whose `me` is the token's, not a user's: the org a token belongs to, the token
/// itself, and the grants of whoever holds it, all of which a client has too.
const TOKEN_SUBJECTS: &[&str] = &["organizations", "tokens", "authorization"];

/// Phrases of a summary (lower case) that say an operation acts for the caller.
const CALLER_PHRASES: &[&str] = &[
    "logged in user",
    "logged-in user",
    "current user",
    "currently logged in",
    "currently authenticated user",
    "requesting user",
    "requesting agent",
    "user making the request",
];

impl Catalog {
    /// Whether `op` acts for the user making the request (see the module docs).
    pub fn acts_for_current_user(&self, op: &Operation) -> bool {
        let segs: Vec<&str> = op.segments().collect();
        if segs.first().is_some_and(|s| TOKEN_SUBJECTS.contains(s)) {
            return false;
        }
        if segs.iter().any(|s| matches!(*s, "me" | "mine")) {
            return true;
        }
        let summary = op.summary.to_ascii_lowercase();
        CALLER_PHRASES.iter().any(|p| summary.contains(p))
            || summary
                .split(|c: char| !c.is_ascii_alphabetic())
                .any(|w| w == "my")
    }

    /// The operation that does what `op` does for a user given by id, when there is one:
    /// `GET /api/v2/users/{userId}` for `GET /api/v2/users/me`.
    pub fn for_any_user(&'static self, op: &Operation) -> Option<&'static Operation> {
        let segs: Vec<&str> = op.segments().collect();
        let at = segs.iter().position(|s| *s == "me")?;
        (self.operations().iter())
            .filter(|o| o.method == op.method)
            .find(|o| {
                let other: Vec<&str> = o.segments().collect();
                other.len() == segs.len()
                    && (other.iter().zip(&segs).enumerate()).all(|(i, (a, b))| {
                        if i == at {
                            is_template_param(a)
                        } else {
                            a == b
                        }
                    })
            })
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::Catalog;

    fn acts_for_caller(method: &str, path: &str) -> bool {
        Catalog::get().acts_for_current_user(Catalog::found(method, path))
    }

    #[test]
    fn classifies_operations_of_the_caller() {
        for (method, path) in [
            ("GET", "/api/v2/users/me"),
            ("GET", "/api/v2/conversations/emails"),
            ("GET", "/api/v2/conversations"),
            ("GET", "/api/v2/routing/queues/me"),
            ("GET", "/api/v2/voicemail/mailbox"),
            ("POST", "/api/v2/workforcemanagement/agentschedules/mine"),
            ("GET", "/api/v2/workforcemanagement/timeoffrequests"),
            ("GET", "/api/v2/workforcemanagement/shifttrades"),
        ] {
            assert!(acts_for_caller(method, path), "{method} {path}");
        }
        for (method, path) in [
            ("GET", "/api/v2/organizations/me"),
            ("GET", "/api/v2/tokens/me"),
            ("GET", "/api/v2/authorization/divisionspermitted/me"),
            ("GET", "/api/v2/users/{userId}"),
            ("GET", "/api/v2/conversations/emails/{conversationId}"),
            ("GET", "/api/v2/routing/queues"),
            ("POST", "/api/v2/analytics/conversations/details/query"),
            (
                "GET",
                "/api/v2/gamification/insights/users/{userId}/details",
            ),
        ] {
            assert!(!acts_for_caller(method, path), "{method} {path}");
        }
    }

    #[test]
    fn finds_the_operation_for_a_user_by_id() {
        let c = Catalog::get();
        let me = Catalog::found("GET", "/api/v2/users/me");
        let by_id = c.for_any_user(me).map(|o| o.path);
        assert_eq!(by_id, Some("/api/v2/users/{userId}"));
        let emails = Catalog::found("GET", "/api/v2/conversations/emails");
        assert!(c.for_any_user(emails).is_none());
    }
}

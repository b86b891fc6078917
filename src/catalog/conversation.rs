//! Which operations change a conversation participant.
//!
//! Genesys documents that only a participant's own user context can change the participant or set
//! its wrap-up: a client-credentials token (the kind a data action runs with) cannot. The rule
//! `conversation-change-without-user-context` uses this classification. It is derived from the
//! catalog, not from a list of paths, so new media types are covered as they appear.

use super::paths::is_template_param;
use super::{Catalog, Operation};

/// The permission Genesys requires for setting a participant's wrap-up.
const WRAPUP_PERMISSION: &str = "conversation:participant:wrapup";

impl Catalog {
    /// Whether `op` changes a conversation participant: a write (POST/PUT/PATCH) under
    /// `/api/v2/conversations/` that either requires `conversation:participant:wrapup`, or targets
    /// one participant (`participants/{id}`) itself, one of its `communications/{id}`, or that
    /// communication's `wrapup`. Sub-actions such as transfers (`replace`, `consult`) or
    /// monitoring are not participant changes, nor is setting a participant's `attributes`
    /// (participant data): Genesys publishes a data action for exactly that
    /// (`GenesysCloudDevOps/public-api-set-participant-attribute-data-action-module`).
    pub fn is_conversation_participant_change(&self, op: &Operation) -> bool {
        if !matches!(op.method, "POST" | "PUT" | "PATCH") {
            return false;
        }
        let segs: Vec<&str> = op.segments().collect();
        if segs.first() != Some(&"conversations") {
            return false;
        }
        if op.permissions.list.contains(&WRAPUP_PERMISSION) {
            return true;
        }
        let Some(at) = segs
            .windows(2)
            .position(|w| w[0] == "participants" && is_template_param(w[1]))
        else {
            return false;
        };
        match &segs[at + 2..] {
            [] | ["wrapup"] => true,
            ["communications", c] | ["communications", c, "wrapup"] => is_template_param(c),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::Catalog;

    fn is_change(method: &str, path: &str) -> bool {
        Catalog::get().is_conversation_participant_change(Catalog::found(method, path))
    }

    #[test]
    fn classifies_participant_changes() {
        for media in [
            "calls",
            "callbacks",
            "emails",
            "messages",
            "socials",
            "videos",
            "chats",
        ] {
            let p = format!(
                "/api/v2/conversations/{media}/{{c}}/participants/{{p}}/communications/{{m}}/wrapup"
            );
            assert!(is_change("POST", &p), "{p}");
        }
        assert!(is_change(
            "PATCH",
            "/api/v2/conversations/{c}/participants/{p}"
        ));
        assert!(is_change(
            "PATCH",
            "/api/v2/conversations/calls/{c}/participants/{p}"
        ));
        assert!(is_change(
            "PATCH",
            "/api/v2/conversations/emails/{c}/participants/{p}/communications/{m}"
        ));
        // Reads, transfers, participant data and unrelated writes are not.
        assert!(!is_change(
            "PATCH",
            "/api/v2/conversations/{c}/participants/{p}/attributes"
        ));
        assert!(!is_change(
            "PATCH",
            "/api/v2/conversations/callbacks/{c}/participants/{p}/attributes"
        ));
        assert!(!is_change(
            "GET",
            "/api/v2/conversations/{c}/participants/{p}/wrapup"
        ));
        assert!(!is_change(
            "GET",
            "/api/v2/conversations/{c}/participants/{p}/wrapupcodes"
        ));
        assert!(!is_change(
            "POST",
            "/api/v2/conversations/{c}/participants/{p}/replace"
        ));
        assert!(!is_change("PUT", "/api/v2/routing/queues/{q}"));
        assert!(!is_change(
            "POST",
            "/api/v2/conversations/participants/attributes/search"
        ));
    }
}

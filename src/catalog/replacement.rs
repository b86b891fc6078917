//! The operation that replaces a deprecated or removed one, where the API's own summary names it:
//! "DEPRECATED: use GET /routing/queues/{queueId}/members", "Apps should migrate to use
//! POST /api/v2/presence/definitions instead".

use super::paths::Lookup;
use super::{Catalog, Operation};

impl Catalog {
    /// The operation `op`'s summary says to use instead, when it names one that exists.
    pub fn replacement(&'static self, op: &Operation) -> Option<&'static Operation> {
        let summary = op.summary;
        let lower = summary.to_ascii_lowercase();
        lower.match_indices("use ").find_map(|(at, _)| {
            let mut words = summary[at + 4..].split_whitespace();
            let first = words.next()?;
            let (method, path) = match first.starts_with('/') {
                true => (op.method, first),
                false => (
                    ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]
                        .into_iter()
                        .find(|m| m.eq_ignore_ascii_case(first))?,
                    words.next()?,
                ),
            };
            let path = path.trim_end_matches(['.', ',', ')', ']', ';']);
            if !path.starts_with('/') {
                return None;
            }
            let full = match path.starts_with("/api/") {
                true => path.to_owned(),
                false => format!("/api/v2{path}"),
            };
            match self.lookup(method, &full) {
                Lookup::Found(found) if !std::ptr::eq(found, op) => Some(found),
                _ => None,
            }
        })
    }

    /// For a removed web chat operation on one conversation (`/conversations/chats/{conversationId}/...`),
    /// the same operation on web messaging, chat's successor, when it exists: the summaries of the
    /// removed operations name no replacement. Operations on no conversation in particular
    /// (`POST /conversations/chats` started a chat) have no such twin: starting an outbound
    /// message is another thing.
    pub fn chat_successor(&'static self, op: &Operation) -> Option<&'static Operation> {
        let rest = op
            .path
            .strip_prefix("/api/v2/conversations/chats/{conversationId}")?;
        if !op.removed_in_sdk259 {
            return None;
        }
        let twin = format!("/api/v2/conversations/messages/{{conversationId}}{rest}");
        self.operations_at(&twin)
            .into_iter()
            .find(|o| o.method == op.method)
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::Catalog;

    fn replacement(method: &str, path: &str) -> Option<String> {
        Catalog::get()
            .replacement(Catalog::found(method, path))
            .map(|r| format!("{} {}", r.method, r.path))
    }

    #[test]
    fn summaries_name_the_replacement() {
        assert_eq!(
            replacement("GET", "/api/v2/routing/queues/{queueId}/users").as_deref(),
            Some("GET /api/v2/routing/queues/{queueId}/members")
        );
        assert_eq!(
            replacement("DELETE", "/api/v2/presencedefinitions/{presenceId}").as_deref(),
            Some("DELETE /api/v2/presence/definitions/{definitionId}")
        );
        // Without a method, the operation's own.
        assert_eq!(
            replacement("GET", "/api/v2/organizations/whitelist").as_deref(),
            Some("GET /api/v2/organizations/authentication/settings")
        );
        // Removed web chat operations on a conversation: the web messaging twin.
        let chat = |m: &str, p: &str| {
            Catalog::get()
                .chat_successor(Catalog::found(m, p))
                .map(|r| format!("{} {}", r.method, r.path))
        };
        assert_eq!(
            chat(
                "PATCH",
                "/api/v2/conversations/chats/{conversationId}/participants/{participantId}"
            )
            .as_deref(),
            Some(
                "PATCH /api/v2/conversations/messages/{conversationId}/participants/{participantId}"
            )
        );
        assert_eq!(chat("POST", "/api/v2/conversations/chats"), None);
        assert_eq!(
            chat(
                "GET",
                "/api/v2/conversations/chats/{conversationId}/messages"
            ),
            None
        );
        // A summary that names none.
        assert_eq!(replacement("GET", "/api/v2/users/{userId}/profile"), None);
    }
}

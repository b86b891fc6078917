//! The catalog's vocabularies: OAuth scopes, permissions and SDK method names, with "did you mean"
//! suggestions for names that do not exist.

use super::Catalog;

/// The part of a `domain:entity:action` permission that a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermissionPart {
    Domain,
    Entity,
    Action,
}

/// Permission domains that exist but that no Platform API operation requires, so the catalog
/// never names them: the built-in Master Admin role grants each of them (`domain:*:*`) in real
/// `genesyscloud_tf_export` output. Without them `reporting` reads as a misspelt `recording` and
/// `wfp` as a misspelt `wfm`, on every exported org.
const DOMAINS_OUTSIDE_THE_CATALOG: &[&str] = &[
    "acdscreenshare",
    "acdvideo",
    "attributes",
    "authentication",
    "cobrowse",
    "mobile",
    "notifications",
    "purecloudvoice",
    "pushnotification",
    "reporting",
    "ui",
    "voicebots",
    "webchat",
    "widgets",
    "wfp",
];

impl Catalog {
    /// Whether `s` is a real OAuth scope (named by some operation or by the Terraform map).
    pub fn is_scope(&self, s: &str) -> bool {
        self.scopes.binary_search(&s).is_ok()
    }

    /// Every known scope, sorted.
    pub fn scopes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.scopes.iter().copied()
    }

    /// The real scope closest to an unknown one: `conversation:write` -> `conversations`,
    /// `routing:read` -> `routing:readonly`, `conversatons` -> `conversations`.
    ///
    /// Scopes come in pairs `X` / `X:readonly`; there are no `:write` scopes. So the part before the
    /// first `:` is matched against the scope families by edit distance, and a read-like suffix picks
    /// the `:readonly` twin when it exists.
    pub fn suggest_scope(&self, s: &str) -> Option<&'static str> {
        let s = s.trim().to_ascii_lowercase();
        if let Some(&hit) = self.scopes.iter().find(|k| k.eq_ignore_ascii_case(&s)) {
            return Some(hit);
        }
        let (base, suffix) = s.split_once(':').unwrap_or((&s, ""));
        let wants_read = ["read", "readonly", "view", "get", "list"]
            .iter()
            .any(|r| suffix.split(':').any(|part| part == *r));
        let mut best: Option<(usize, &'static str)> = None;
        for &scope in &self.scopes {
            let family = scope.split(':').next().unwrap_or(scope);
            if scope.contains(':') && self.is_scope(family) {
                continue; // judge each family once, by its write scope
            }
            let d = strsim::levenshtein(base, family);
            if best.is_none_or(|(b, _)| d < b) {
                best = Some((d, scope));
            }
        }
        let (d, scope) = best?;
        if d > (base.len() / 3).max(2) {
            return None;
        }
        let family = scope.split(':').next().unwrap_or(scope);
        if wants_read {
            let readonly = format!("{family}:readonly");
            if let Some(&r) = self.scopes.iter().find(|k| **k == readonly) {
                return Some(r);
            }
        }
        Some(scope)
    }

    /// Whether some permission of the catalog matches `domain:entity:action`, where `entity` and
    /// `action` may be `*` (as in a role's permission policy). The domain must exist as written.
    pub fn permission_known(&self, domain: &str, entity: &str, action: &str) -> bool {
        // The list is sorted: an exact permission is a binary search; only wildcards scan.
        if entity != "*" && action != "*" {
            let wanted = format!("{domain}:{entity}:{action}");
            return self.permissions.binary_search(&wanted.as_str()).is_ok();
        }
        self.permissions.iter().any(|p| {
            let mut parts = p.splitn(3, ':');
            let (Some(d), Some(e), Some(a)) = (parts.next(), parts.next(), parts.next()) else {
                return false;
            };
            d == domain && (entity == "*" || e == entity) && (action == "*" || a == action)
        })
    }

    /// Whether a whole permission string (`domain:entity:action`, wildcards allowed) is known.
    pub fn permission_string_known(&self, permission: &str) -> bool {
        let mut parts = permission.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(d), Some(e), Some(a)) => self.permission_known(d, e, a),
            _ => self.permissions.binary_search(&permission).is_ok(),
        }
    }

    /// Every known permission string, sorted.
    pub fn permissions(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.permissions.iter().copied()
    }

    /// The known permission that an unknown `domain:entity:action` (wildcards allowed) is a
    /// misspelling of, or `None` when it is not one.
    ///
    /// The first part the catalog does not know (case aside: the catalog writes some entities in
    /// lower case that orgs write in camelCase) is compared with the names known at that level,
    /// under the known parts before it: `routng` with the domains, `queues` with `routing`'s
    /// entities, `wrap-up` with `conversation:participant`'s actions. Close is one edit (a
    /// swap of two letters counts as one) per four letters, at least one: `conversation:call:accept`
    /// is not a misspelt `conversation:call:add`, but a permission the catalog does not list
    /// (it lists those Platform API operations need, not those of the UI alone).
    /// Returns which part is misspelt, and the whole permission as it was probably meant.
    pub fn misspelt_permission(
        &self,
        domain: &str,
        entity: &str,
        action: &str,
    ) -> Option<(PermissionPart, String)> {
        let split = |p: &'static str| {
            let mut parts = p.splitn(3, ':');
            Some((parts.next()?, parts.next()?, parts.next()?))
        };
        let all = || self.permissions.iter().filter_map(|&p| split(p));
        let is = |known: &str, written: &str| written == "*" || known.eq_ignore_ascii_case(written);
        let closest = |written: &str, known: &mut dyn Iterator<Item = &'static str>| {
            let lower = written.to_ascii_lowercase();
            let best = known
                .map(|k| (strsim::osa_distance(&lower, &k.to_ascii_lowercase()), k))
                .min()?;
            (best.0 <= (written.chars().count() / 4).max(1)).then_some(best.1)
        };
        if !all().any(|(d, _, _)| is(d, domain)) {
            // A real domain that no operation needs says nothing about its entities either.
            if DOMAINS_OUTSIDE_THE_CATALOG
                .iter()
                .any(|d| d.eq_ignore_ascii_case(domain))
            {
                return None;
            }
            let d = closest(domain, &mut all().map(|(d, _, _)| d))?;
            return Some((PermissionPart::Domain, format!("{d}:{entity}:{action}")));
        }
        if !all().any(|(d, e, _)| is(d, domain) && is(e, entity)) {
            let in_domain = all().filter(|(d, _, _)| is(d, domain));
            let e = closest(entity, &mut in_domain.map(|(_, e, _)| e))?;
            return Some((PermissionPart::Entity, format!("{domain}:{e}:{action}")));
        }
        if !all().any(|(d, e, a)| is(d, domain) && is(e, entity) && is(a, action)) {
            let in_entity = all().filter(|(d, e, _)| is(d, domain) && is(e, entity));
            let a = closest(action, &mut in_entity.map(|(_, _, a)| a))?;
            return Some((PermissionPart::Action, format!("{domain}:{entity}:{a}")));
        }
        None
    }

    /// Whether `name` is a real SDK method: the JavaScript camelCase name (operation id or SDK
    /// method name) or its Python snake_case twin. A `platformClient.XApi.` style prefix is ignored.
    pub fn sdk_method_exists(&self, name: &str) -> bool {
        let name = last_member(name);
        self.ops
            .iter()
            .any(|op| op_names(op).any(|n| n == name || snake_case(n) == name))
    }

    /// The real SDK method closest to `name`, written in the same style (snake_case when `name`
    /// contains `_`): first by edit distance (typos), then by reading the name as the SDK builds it,
    /// a method followed by path words (`post_conversations_conversations_id_wrapup` is
    /// `POST /conversations/{id}/wrapup`), and taking the nearest real operation.
    pub fn suggest_sdk_method(&self, name: &str) -> Option<String> {
        if let Some(s) = self.suggest_for_namespace_call(name) {
            return Some(s);
        }
        let name = last_member(name);
        let snake = name.contains('_');
        let style = |n: &str| if snake { snake_case(n) } else { n.to_string() };
        let wanted = normalize_name(name);
        let mut best: Option<(usize, &'static str)> = None;
        for op in &self.ops {
            for n in op_names(op) {
                let d = strsim::levenshtein(&wanted, &normalize_name(n));
                if best.is_none_or(|(b, _)| d < b) {
                    best = Some((d, n));
                }
            }
        }
        if let Some((d, n)) = best {
            if d <= (wanted.len() / 5).max(2) {
                return Some(style(n));
            }
        }
        let words = snake_case(name);
        let mut words = words.split('_').filter(|w| !w.is_empty());
        let method = words.next()?.to_ascii_uppercase();
        if !matches!(
            method.as_str(),
            "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD"
        ) {
            return None;
        }
        let path: String = words
            .map(|w| {
                if w == "id" || w == "ids" {
                    "/{id}".to_string()
                } else {
                    format!("/{w}")
                }
            })
            .collect();
        let op = self
            .nearest(&method, &format!("/api/v2{path}"), 1)
            .into_iter()
            .next()?;
        op.js_method().map(style)
    }
}

impl Catalog {
    /// For the invented namespace form `platformClient.<noun>.<verb>` (`platformClient.wrapup.update`,
    /// seen in forum answers): the JavaScript method of the operation whose path ends in `<noun>`
    /// with a method the verb can mean, the nearest such first. Its last member alone (`update`)
    /// says nothing, so without this the finding had no suggestion at all. `None` for any other
    /// shape, or when no operation's path ends in the noun (a guess would mislead).
    fn suggest_for_namespace_call(&self, name: &str) -> Option<String> {
        let name = name.trim().split('(').next().unwrap_or_default();
        let mut parts = name.split('.');
        let (Some("platformClient"), Some(noun), Some(verb), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let noun = noun.to_ascii_lowercase();
        let methods: &[&str] = match verb.to_ascii_lowercase().as_str() {
            "get" | "list" | "fetch" | "find" | "read" | "query" | "search" => &["GET", "POST"],
            // An update of a conversation's wrap-up is a POST in the API; try it after the
            // update methods proper.
            "update" | "set" | "change" | "modify" | "apply" | "save" | "edit" => {
                &["PATCH", "PUT", "POST"]
            }
            "create" | "add" | "new" | "post" | "send" | "submit" => &["POST"],
            "delete" | "remove" | "destroy" => &["DELETE"],
            "put" | "replace" => &["PUT"],
            "patch" => &["PATCH"],
            _ => return None,
        };
        methods.iter().find_map(|m| {
            let op = self
                .nearest(m, &format!("/api/v2/{noun}"), 1)
                .into_iter()
                .next()?;
            let last = op.path.rsplit('/').next().unwrap_or_default();
            (op.method == *m && last == noun)
                .then(|| op.js_method())
                .flatten()
                .map(str::to_string)
        })
    }
}

/// The operation's SDK-facing names.
fn op_names(op: &super::Operation) -> impl Iterator<Item = &'static str> {
    op.operation_id
        .into_iter()
        .chain(op.sdk_method.filter(|s| Some(*s) != op.operation_id))
}

/// `platformClient.ConversationsApi.postX(` -> `postX`.
fn last_member(name: &str) -> &str {
    let name = name.trim().split('(').next().unwrap_or_default();
    name.rsplit(['.', ':']).next().unwrap_or(name).trim()
}

/// Lowercase without separators, so camelCase and snake_case compare equal.
fn normalize_name(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// camelCase -> snake_case, as the Python SDK names methods
/// (`postConversationsCallParticipantCommunicationWrapup` ->
/// `post_conversations_call_participant_communication_wrapup`).
pub fn snake_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev_lower_or_digit = false;
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower_or_digit {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower_or_digit = false;
        } else {
            out.push(c);
            prev_lower_or_digit = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_real_and_write_scopes_are_not() {
        let c = Catalog::get();
        for s in [
            "conversations",
            "conversations:readonly",
            "routing",
            "audits:readonly",
            "upload",
        ] {
            assert!(c.is_scope(s), "{s}");
        }
        for s in [
            "conversation:write",
            "conversations:write",
            "conversation:voice:write",
            "",
        ] {
            assert!(!c.is_scope(s), "{s}");
        }
        assert!(c.scopes().count() > 100);
        // Scopes only the Terraform map knows are real too.
        assert!(c.is_scope("ai-studio"));
    }

    #[test]
    fn suggests_scopes() {
        let c = Catalog::get();
        assert_eq!(c.suggest_scope("conversation:write"), Some("conversations"));
        assert_eq!(
            c.suggest_scope("conversations:write"),
            Some("conversations")
        );
        assert_eq!(
            c.suggest_scope("conversation:voice:write"),
            Some("conversations")
        );
        assert_eq!(c.suggest_scope("routing:read"), Some("routing:readonly"));
        assert_eq!(c.suggest_scope("Conversations"), Some("conversations"));
        assert_eq!(c.suggest_scope("analytic"), Some("analytics"));
        assert_eq!(c.suggest_scope("zzzzzzzzzzzzzzzzzz"), None);
    }

    #[test]
    fn permissions_with_wildcards() {
        let c = Catalog::get();
        assert!(c.permission_known("conversation", "participant", "wrapup"));
        assert!(c.permission_known("routing", "queue", "*"));
        assert!(c.permission_known("routing", "*", "view"));
        assert!(c.permission_known("routing", "*", "*"));
        assert!(!c.permission_known("routing", "queue", "teleport"));
        assert!(!c.permission_known("nosuchdomain", "*", "*"));
        assert!(c.permission_string_known("conversation:participant:wrapup"));
        assert!(!c.permission_string_known("conversation:wrapup:edit"));
        let suggest = |p: &str| {
            let mut parts = p.splitn(3, ':');
            let (d, e, a) = (parts.next(), parts.next(), parts.next());
            c.misspelt_permission(d.unwrap(), e.unwrap(), a.unwrap())
                .map(|(_, meant)| meant)
        };
        assert_eq!(
            suggest("conversation:participant:wrapups").as_deref(),
            Some("conversation:participant:wrapup")
        );
        assert_eq!(
            suggest("conversation:participant:wrap-up").as_deref(),
            Some("conversation:participant:wrapup")
        );
        assert_eq!(
            suggest("routing:queues:view").as_deref(),
            Some("routing:queue:view")
        );
        assert_eq!(
            suggest("routing:queue:veiw").as_deref(),
            Some("routing:queue:view")
        );
        // A suggestion keeps the wildcards; a short name is not any other short name.
        assert_eq!(suggest("routng:*:*").as_deref(), Some("routing:*:*"));
        assert_eq!(
            suggest("routing:queues:*").as_deref(),
            Some("routing:queue:*")
        );
        assert_eq!(suggest("ui:*:*"), None);
        // Real domains the built-in Master Admin role grants, one edit from catalog ones.
        assert_eq!(suggest("reporting:*:*"), None);
        assert_eq!(suggest("wfp:*:*"), None);
        assert_eq!(suggest("Reporting:report:view"), None);
        assert_eq!(suggest("wfq:*:*").as_deref(), Some("wfm:*:*"));
        let part = |p: &str| {
            let mut parts = p.splitn(3, ':');
            let (d, e, a) = (parts.next(), parts.next(), parts.next());
            c.misspelt_permission(d.unwrap(), e.unwrap(), a.unwrap())
                .map(|(part, _)| part)
        };
        assert_eq!(part("routng:*:*"), Some(PermissionPart::Domain));
        assert_eq!(part("routing:queues:*"), Some(PermissionPart::Entity));
        assert_eq!(part("routing:queue:veiw"), Some(PermissionPart::Action));
        assert_eq!(suggest("notifications:*:*"), None);
        // Known, case aside; and names the catalog does not list, close to nothing it does.
        assert_eq!(suggest("routing:wrapUpCode:view"), None);
        assert_eq!(suggest("conversation:call:accept"), None);
        assert_eq!(suggest("routing:agent:onqueue"), None);
        assert_eq!(suggest("recording:recording:delete"), None);
        // Sentences from the SDK docs are not permissions.
        assert!(!c.permissions().any(|p| p.contains(' ')));
    }

    #[test]
    fn sdk_methods() {
        let c = Catalog::get();
        assert_eq!(
            snake_case("postConversationsCallParticipantCommunicationWrapup"),
            "post_conversations_call_participant_communication_wrapup"
        );
        assert_eq!(
            snake_case("getPresenceDefinitions0"),
            "get_presence_definitions0"
        );
        assert!(c.sdk_method_exists("postConversationsCallParticipantCommunicationWrapup"));
        assert!(c.sdk_method_exists("patchConversationParticipant"));
        assert!(c.sdk_method_exists("patch_conversation_participant"));
        assert!(
            c.sdk_method_exists("platformClient.ConversationsApi.patchConversationParticipant")
        );
        assert!(c.sdk_method_exists("getPresenceDefinitions0"));
        // Invented in forum answers (DOMAIN.md section 5).
        assert!(!c.sdk_method_exists("platformClient.wrapup.update"));
        assert!(!c.sdk_method_exists("post_conversations_conversations_id_wrapup"));
        assert!(!c.sdk_method_exists("PATCHCONVERSATIONPARTICIPANT"));
        assert_eq!(
            c.suggest_sdk_method("post_conversations_conversations_id_wrapup")
                .as_deref(),
            Some("post_conversations_call_participant_communication_wrapup")
        );
        // The invented namespace form gets the real operation its noun and verb point at.
        assert_eq!(
            c.suggest_sdk_method("platformClient.wrapup.update")
                .as_deref(),
            Some("postConversationsCallParticipantCommunicationWrapup")
        );
        assert_eq!(
            c.suggest_sdk_method("platformClient.wrapup.frobnicate"),
            None
        );
        assert_eq!(
            c.suggest_sdk_method("platformClient.nosuchnoun.update"),
            None
        );
        assert_eq!(
            c.suggest_sdk_method("patchConversationParticipants")
                .as_deref(),
            Some("patchConversationParticipant")
        );
    }
}

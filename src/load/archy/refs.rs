//! Finding by-name references in a flow: a generic walk over the whole document.
//!
//! Actions nest freely (tasks, states, menus, decision and switch outputs, loops), so rather than
//! follow Archy's schema we visit every mapping entry and recognise reference fields by their key:
//! a field such as `targetQueue` or `wrapupCode` holding a wrapped value (`lit:`, `exp:`, `var:`).
//! The enclosing key (`transferToAcd`, `menuTransferToAcd`, `setWrapupCode`,
//! `settingsOutboundCall`) gives the role. Any other `lit: { name: X }` is recorded under its key.
//!
//! The walk recurses over our own tree, whose depth is capped at parse time ([`super::MAX_DEPTH`]).

use std::ops::Range;

use super::subst::Substituted;
use super::tree::{Node, NodeId, Tree};
use super::{FlowRef, FlowValue, RefKind, RefRole};
use crate::source::{FileId, Span};

/// What the walk needs: the tree, the substitution map back to the original file, and that file.
pub struct Ctx<'a> {
    pub tree: &'a Tree,
    pub sub: &'a Substituted,
    pub file: FileId,
    pub original: &'a str,
}

/// Keys that open a named block; the innermost one is a reference's [`FlowRef::scope`].
const SCOPE_KEYS: &[&str] = &["task", "state", "menu", "bot"];

/// The kind of object a field names, from the field's key (and, for `code`, its action).
fn field_kind(key: &str, action: Option<&str>) -> Option<RefKind> {
    let other = |k: &str| Some(RefKind::Other(k.to_string()));
    match key {
        "targetQueue" | "queue" => Some(RefKind::Queue),
        "wrapupCode" | "wrapUpCode" => Some(RefKind::WrapupCode),
        // Unverified spelling inside `setWrapupCode`; accepted there only.
        "code" if action == Some("setWrapupCode") => Some(RefKind::WrapupCode),
        "skill" | "skills" => other("skill"),
        "languageSkill" | "defaultLanguageSkill" => other("languageSkill"),
        "user" | "targetUser" => other("user"),
        "group" | "targetGroup" => other("group"),
        "scheduleGroup" => other("scheduleGroup"),
        "schedule" => other("schedule"),
        "emergencyGroup" => other("emergencyGroup"),
        "contactList" => other("contactList"),
        "holdMusic" | "prompt" => other("prompt"),
        "targetFlow" | "flow" => other("flow"),
        _ => None,
    }
}

fn role(kind: &RefKind, action: Option<&str>, path: &str) -> RefRole {
    match (kind, action) {
        (RefKind::Queue, Some("transferToAcd")) => RefRole::TransferToAcd,
        (RefKind::Queue, Some("menuTransferToAcd")) => RefRole::MenuTransferToAcd,
        (RefKind::WrapupCode, Some("setWrapupCode")) => RefRole::SetWrapupCode,
        (RefKind::WrapupCode, Some("settingsOutboundCall")) => RefRole::OutboundDefaultWrapup,
        _ => RefRole::Other(path.to_string()),
    }
}

/// Every reference under `body` (the flow-type key's value), in document order.
pub fn extract(ctx: &Ctx<'_>, flow_type: &str, body: NodeId) -> Vec<FlowRef> {
    let mut w = Walker {
        ctx,
        path: vec![flow_type.to_string()],
        scopes: Vec::new(),
        refs: Vec::new(),
    };
    w.walk(body);
    w.refs
}

struct Walker<'a, 'c> {
    ctx: &'a Ctx<'c>,
    path: Vec<String>,
    scopes: Vec<String>,
    refs: Vec<FlowRef>,
}

/// A wrapped value: which wrapper, and the wrapped node.
enum Wrapped {
    Lit(NodeId),
    Dyn(NodeId),
}

impl<'c> Walker<'_, 'c> {
    /// The tree, borrowed for the context's lifetime (not `self`'s), so the walk can hold node
    /// lists while it records.
    fn tree(&self) -> &'c Tree {
        self.ctx.tree
    }

    fn walk(&mut self, id: NodeId) {
        let tree = self.tree();
        match tree.node(id) {
            Node::Map(entries) => {
                for &(k, v) in entries {
                    self.entry(tree.scalar(k).unwrap_or("?"), v);
                }
            }
            Node::Seq(items) => {
                for (i, &item) in items.iter().enumerate() {
                    self.path.push(i.to_string());
                    self.walk(item);
                    self.path.pop();
                }
            }
            Node::Scalar { .. } | Node::Alias => {}
        }
    }

    /// The action a field belongs to: the nearest mapping key above it that is not a sequence
    /// index.
    fn action(&self) -> Option<&str> {
        self.path
            .iter()
            .rev()
            .find(|p| !p.bytes().all(|b| b.is_ascii_digit()))
            .map(String::as_str)
    }

    fn entry(&mut self, key: &str, v: NodeId) {
        let action = self.action().map(str::to_string);
        if let Some(kind) = field_kind(key, action.as_deref()) {
            let tree = self.tree();
            let items: &[NodeId] = match tree.node(v) {
                Node::Seq(items) => items,
                _ => std::slice::from_ref(&v),
            };
            let mut all_wrapped = true;
            for &item in items {
                match self.wrapped(item) {
                    Some(w) => self.record(kind.clone(), key, action.as_deref(), w, true),
                    None => all_wrapped = false,
                }
            }
            if all_wrapped {
                return;
            }
        } else if let Some(w @ Wrapped::Lit(_)) = self.wrapped(v) {
            // `lit: { name: X }` under a key we do not know: still a by-name reference.
            self.record(
                RefKind::Other(key.to_string()),
                key,
                action.as_deref(),
                w,
                false,
            );
            return;
        }

        let scope = if SCOPE_KEYS.contains(&key) {
            self.scope_name(key, v)
        } else {
            None
        };
        let pushed = scope.is_some();
        if let Some(s) = scope {
            self.scopes.push(s);
        }
        self.path.push(key.to_string());
        self.walk(v);
        self.path.pop();
        if pushed {
            self.scopes.pop();
        }
    }

    fn scope_name(&self, key: &str, v: NodeId) -> Option<String> {
        let t = self.tree();
        if !matches!(t.node(v), Node::Map(_)) {
            return None;
        }
        let id = t
            .get(v, "refId")
            .or_else(|| t.get(v, "name"))
            .and_then(|n| t.scalar(n));
        Some(format!("{key}[{}]", id.unwrap_or("")))
    }

    fn wrapped(&self, id: NodeId) -> Option<Wrapped> {
        let t = self.tree();
        let Node::Map(entries) = t.node(id) else {
            return None;
        };
        entries.iter().find_map(|&(k, v)| match t.scalar(k)? {
            "lit" => Some(Wrapped::Lit(v)),
            "exp" | "var" => Some(Wrapped::Dyn(v)),
            _ => None,
        })
    }

    /// Record one reference. `known` says the field key is a known reference field: only then do
    /// a bare `lit: X` and a dynamic value count.
    fn record(&mut self, kind: RefKind, key: &str, action: Option<&str>, w: Wrapped, known: bool) {
        let t = self.tree();
        let (value_node, dynamic) = match w {
            Wrapped::Lit(v) => match t.node(v) {
                Node::Map(_) => match t.get(v, "name") {
                    Some(n) => (n, false),
                    None => return,
                },
                Node::Scalar { .. } if known => (v, false),
                _ => return,
            },
            Wrapped::Dyn(v) if known => (v, true),
            Wrapped::Dyn(_) => return,
        };
        let Some((text, range)) = scalar_content(t, value_node) else {
            return;
        };
        let (orig, from_substitution) = self.ctx.sub.map_range(range.clone());
        // A queue or code named through a placeholder no substitution replaces is
        // `missing-flow-substitution`'s finding; checking the placeholder text as a name would
        // report the one problem twice, the second time as a queue or code missing from the org.
        let unreplaced = (self.ctx.sub.missing.iter())
            .any(|p| p.range.start < orig.end && orig.start < p.range.end);
        if unreplaced && matches!(kind, RefKind::Queue | RefKind::WrapupCode) {
            return;
        }
        let value = if dynamic {
            FlowValue::Dynamic { expr: text }
        } else if self.ctx.sub.is_dynamic(range) {
            FlowValue::Unknown {
                text: self
                    .ctx
                    .original
                    .get(orig.clone())
                    .unwrap_or("")
                    .to_string(),
            }
        } else {
            FlowValue::Literal { name: text }
        };
        let path = format!("{}/{key}", self.path.join("/"));
        self.refs.push(FlowRef {
            role: role(&kind, action, &path),
            kind,
            value,
            span: Span::new(self.ctx.file, orig),
            from_substitution,
            order: u32::try_from(self.refs.len()).unwrap_or(u32::MAX),
            path,
            scope: self.scopes.last().cloned(),
            action: action.map(str::to_string),
        });
    }
}

fn scalar_content(t: &Tree, id: NodeId) -> Option<(String, Range<usize>)> {
    match t.node(id) {
        Node::Scalar { value, content, .. } => Some((value.clone(), content.clone())),
        _ => None,
    }
}

/// A scalar's text and original span (for the flow's `name`). When it holds an unknown
/// substitution value, the original text (placeholder included) is returned instead.
pub fn scalar_text(ctx: &Ctx<'_>, id: NodeId) -> Option<(String, Span)> {
    let (text, range) = scalar_content(ctx.tree, id)?;
    let (orig, _) = ctx.sub.map_range(range.clone());
    let text = if ctx.sub.is_dynamic(range) {
        ctx.original.get(orig.clone()).unwrap_or("").to_string()
    } else {
        text
    };
    Some((text, Span::new(ctx.file, orig)))
}

//! Architect flows (Archy YAML): the file a `genesyscloud_flow` points at, turned into flow facts.
//!
//! [`parse_flow`] applies `substitutions` as the provider does ([`substitute`]), parses the result
//! with positions, checks it is an Archy flow, and extracts every by-name reference to an org object
//! ([`FlowRef`]): transfer targets, wrap-up codes, and the other object kinds Archy names with
//! `lit: { name: ... }`. Every span points into the ORIGINAL YAML file; a value that came from a
//! substitution also names that substitution, whose own span is in the `.tf` file.
//!
//! Input limits (hostile files must not hang or exhaust the run): at most [`MAX_FLOW_BYTES`] bytes,
//! as read and with the substitutions filled in, no NUL bytes, nesting at most [`MAX_DEPTH`]
//! levels, at most [`tree::MAX_NODES`] nodes, and YAML aliases are never expanded (a reference
//! written through an alias is therefore not seen).

mod refs;
mod subst;
pub(crate) mod tree;

pub use subst::{
    DollarMistake, MissingPlaceholder, Origin, SubValue, Substituted, Use, substitute,
    substituted_len, unknown_substitutions,
};
pub use tree::MAX_DEPTH;
#[doc(hidden)]
pub use tree::check_fast_path;

use crate::load::LoadError;
use crate::source::{FileId, Span};

/// Largest flow file we parse. Exported flows of large IVRs reach a few MiB; 32 MiB leaves ample
/// room while bounding memory (the tree costs a small multiple of the text).
pub const MAX_FLOW_BYTES: usize = 32 * 1024 * 1024;

/// The top-level keys Archy accepts, one per flow type. Seen in real files: `inboundCall`,
/// `inboundEmail`, `inboundShortMessage`, `inqueueCall`, `outboundCall`, `workflow`, `digitalBot`,
/// `commonModule`. The others are the camelCase of the Platform API's flow types (`INBOUNDCHAT`,
/// `INQUEUEEMAIL`, `INQUEUESHORTMESSAGE`, `SECURECALL`, `VOICEMAIL`, `SURVEYINVITE`, `VOICESURVEY`,
/// `BOT`, `WORKITEM`) as Archy spells them; unverified against Archy's own list.
pub const FLOW_TYPES: &[&str] = &[
    "inboundCall",
    "inboundChat",
    "inboundEmail",
    "inboundShortMessage",
    "inqueueCall",
    "inqueueEmail",
    "inqueueShortMessage",
    "outboundCall",
    "secureCall",
    "voicemail",
    "surveyInvite",
    "voiceSurvey",
    "botFlow",
    "digitalBot",
    "workflow",
    "workitem",
    "commonModule",
];

/// Which kind of org object a reference names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RefKind {
    Queue,
    WrapupCode,
    /// Another object kind, by a normalised name: `skill`, `languageSkill`, `user`, `group`,
    /// `scheduleGroup`, `schedule`, `emergencyGroup`, `contactList`, `prompt`, `flow`; or, for a
    /// `lit: { name: ... }` under a key we do not know, that key as written.
    Other(String),
}

/// What the reference is used for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RefRole {
    /// `transferToAcd.targetQueue`.
    TransferToAcd,
    /// `menuTransferToAcd.targetQueue` (a menu choice).
    MenuTransferToAcd,
    /// `setWrapupCode.wrapupCode`.
    SetWrapupCode,
    /// `settingsOutboundCall.wrapupCode`: the default code of an outbound call flow.
    OutboundDefaultWrapup,
    /// Anywhere else: the reference's [`FlowRef::path`].
    Other(String),
}

/// How the referenced object is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowValue {
    /// `lit: { name: X }` or `lit: X`: checkable by name.
    Literal { name: String },
    /// `exp: E` or `var: V`: resolved when the flow runs; cannot be checked.
    Dynamic { expr: String },
    /// A literal whose text comes (partly) from a substitution whose value is unknown statically
    /// (a Terraform unknown). `text` is the original YAML text, placeholders included. Cannot be
    /// checked, and is not a run-time expression either.
    Unknown { text: String },
}

/// One by-name reference to an org object in a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowRef {
    pub kind: RefKind,
    pub role: RefRole,
    pub value: FlowValue,
    /// In the original YAML: the name scalar's content for a literal, the expression for a dynamic
    /// value. When the name came from a substitution, this covers the whole `{{x}}` placeholder.
    pub span: Span,
    /// Index into the `subs` given to [`parse_flow`] when the value came from a substitution.
    pub from_substitution: Option<usize>,
    /// Position in document order among this flow's references (0, 1, 2, ...). Within one
    /// `actions` list document order is execution order; across tasks it is not (tasks jump).
    pub order: u32,
    /// Where the reference sits: the YAML key path from the flow-type key, with sequence indexes,
    /// e.g. `inboundCall/tasks/0/task/actions/2/transferToAcd/targetQueue`.
    pub path: String,
    /// The innermost enclosing task, state, menu, bot or loop body, as `task[<refId or name>]`
    /// (`state[...]`, `menu[...]`, `bot[...]`). `None` for flow-level settings.
    pub scope: Option<String>,
    /// The action the reference belongs to (`transferToAcd`, `setWrapupCode`,
    /// `settingsOutboundCall`, ...): the mapping key that holds the referencing field.
    pub action: Option<String>,
}

/// A `{{x}}` with no substitution, located in the YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowPlaceholder {
    pub name: String,
    /// The placeholder as written, `{{ x }}` with its spaces.
    pub written: String,
    /// The whole `{{x}}`.
    pub span: Span,
    /// The substitution probably meant (same key ignoring case, or spaces inside the braces).
    pub likely: Option<usize>,
}

/// A `${x}` written where `{{x}}` was probably meant (`x` is a substitution key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowDollarMistake {
    /// Index into `subs`.
    pub sub: usize,
    /// The whole `${x}` in the YAML.
    pub span: Span,
}

/// What cxlint knows about one flow file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowDoc {
    pub file: FileId,
    /// The top-level key, e.g. `inboundCall`.
    pub flow_type: String,
    /// Span of the flow-type key.
    pub flow_type_span: Span,
    /// The flow's `name:`, after substitution (the original text when it holds an unknown value).
    pub name: Option<(String, Span)>,
    /// Every reference, in document order.
    pub refs: Vec<FlowRef>,
    /// `{{x}}` placeholders no substitution replaces (outside comments).
    pub missing_placeholders: Vec<FlowPlaceholder>,
    /// Indexes into `subs` of substitutions the YAML never uses (outside comments).
    pub unused_subs: Vec<usize>,
    /// `${x}` occurrences naming a substitution (outside comments).
    pub dollar_mistakes: Vec<FlowDollarMistake>,
}

impl FlowDoc {
    /// Whether this is an in-queue flow (its wrap-up codes pair with the queues that use it).
    pub fn is_in_queue(&self) -> bool {
        self.flow_type.starts_with("inqueue")
    }

    /// The queue transfers (`transferToAcd`, `menuTransferToAcd`) after `r` in document order,
    /// anywhere in the flow. Document order approximates "later in the flow": it is exact within
    /// one `actions` list, while jumps between tasks can run blocks in another order. Filter on
    /// [`FlowRef::scope`] for the stricter "later in the same task".
    pub fn transfers_after<'a>(&'a self, r: &FlowRef) -> impl Iterator<Item = &'a FlowRef> {
        let order = r.order;
        self.refs.iter().filter(move |t| {
            t.order > order && matches!(t.role, RefRole::TransferToAcd | RefRole::MenuTransferToAcd)
        })
    }
}

/// The label of an error in YAML that is valid as written and broken once the substitutions are
/// filled in: the error is then the resource's, whose values broke it (the caller names it).
pub const STOPPED_ONCE_SUBSTITUTED: &str =
    "parsing stopped here once the substitutions were filled in";

/// Substitute, parse and extract one flow file. `original_text` is the file as on disk; `subs`
/// are the resource's `substitutions` in a stable order (indexes in the result refer to it).
pub fn parse_flow(
    file: FileId,
    original_text: &str,
    subs: &[(String, SubValue)],
) -> Result<FlowDoc, LoadError> {
    if original_text.len() > MAX_FLOW_BYTES {
        return Err(LoadError::new(
            format!(
                "flow file is too large ({} bytes; the limit is {MAX_FLOW_BYTES})",
                original_text.len()
            ),
            Span::file_start(file),
        ));
    }
    // The provider uploads the text with its substitutions filled in: that is what has to fit
    // (a thousand placeholders for a value of megabytes were gigabytes), measured before it is
    // made.
    let (len, past) = substituted_len(original_text, subs, MAX_FLOW_BYTES);
    if let Some(placeholder) = past {
        return Err(LoadError::new(
            format!(
                "flow file is too large once the substitutions are filled in ({len} bytes; the limit is {MAX_FLOW_BYTES})"
            ),
            Span::new(file, placeholder),
        )
        .labelled(STOPPED_ONCE_SUBSTITUTED));
    }
    let sub = substitute(original_text, subs);
    let at = |pos: usize| {
        let o = sub.origin(pos).offset;
        Span::new(file, o..o)
    };
    // Checked after substitution: a substituted value can bring one in too.
    if let Some(nul) = sub.text.find('\0') {
        let span = sub.map_range(nul..nul + 1).0;
        return Err(LoadError::new(
            "invalid YAML: the file contains a NUL byte",
            Span::new(file, span),
        ));
    }
    let tree = match tree::parse(&sub.text) {
        Ok(Some(t)) => t,
        Ok(None) => {
            return Err(LoadError::new(
                "not an Archy flow: the file holds no YAML document",
                Span::file_start(file),
            ));
        }
        Err(e) => {
            let span = at(e.at);
            // Valid as written, broken once filled in: a value with YAML syntax in it (`Sales:
            // EMEA`) put where the placeholder is unquoted. The provider substitutes text the
            // same way, so Archy gets the broken YAML; the message says where it comes from.
            if !sub.uses.is_empty() && tree::parse(original_text).is_ok() {
                // The placeholder whose value the parser stopped in, or else the one replaced on
                // the line where it stopped, when there is one.
                let origin = sub.origin(e.at);
                let line_start = (original_text.get(..origin.offset))
                    .and_then(|t| t.rfind('\n'))
                    .map_or(0, |i| i + 1);
                let line_end = (original_text.get(origin.offset..))
                    .and_then(|t| t.find('\n'))
                    .map_or(original_text.len(), |i| origin.offset + i);
                let on_line = || {
                    let mut on = (sub.uses.iter())
                        .filter(|u| (line_start..line_end).contains(&u.range.start));
                    match (on.next(), on.next()) {
                        (Some(one), None) => Some(one.sub),
                        _ => None,
                    }
                };
                let which = match origin.sub.or_else(on_line).and_then(|i| subs.get(i)) {
                    Some((name, _)) => format!(" (`{{{{{name}}}}}` on this line)"),
                    None => String::new(),
                };
                return Err(LoadError::new(
                    format!(
                        "invalid YAML once the substitutions are filled in{which}: {}; quote the placeholder (`\"{{{{name}}}}\"`) so that any value stays a string",
                        e.message
                    ),
                    span,
                )
                .labelled(STOPPED_ONCE_SUBSTITUTED));
            }
            return Err(LoadError::new(format!("invalid YAML: {}", e.message), span));
        }
    };

    let (flow_type, type_key, body) = flow_root(&tree, file, &sub)?;
    let ctx = refs::Ctx {
        tree: &tree,
        sub: &sub,
        file,
        original: original_text,
    };
    let name = tree
        .get(body, "name")
        .and_then(|n| refs::scalar_text(&ctx, n));
    let refs = refs::extract(&ctx, &flow_type, body);
    // YAML comments do not reach Archy: a placeholder or `${x}` there is harmless, and a
    // substitution used only there has no effect.
    let in_comment = |orig: usize| tree.in_comment(&sub.text, sub.to_new(orig));

    Ok(FlowDoc {
        file,
        flow_type_span: span_of(&sub, file, tree.spans[type_key].clone()),
        flow_type,
        name,
        refs,
        missing_placeholders: sub
            .missing
            .iter()
            .filter(|m| !in_comment(m.range.start))
            .map(|m| FlowPlaceholder {
                name: m.name.clone(),
                written: original_text
                    .get(m.range.clone())
                    .unwrap_or_default()
                    .to_owned(),
                span: Span::new(file, m.range.clone()),
                likely: m.likely,
            })
            .collect(),
        unused_subs: (0..subs.len())
            .filter(|&i| {
                !sub.uses
                    .iter()
                    .any(|u| u.sub == i && !in_comment(u.range.start))
            })
            .collect(),
        dollar_mistakes: sub
            .dollar_mistakes
            .iter()
            .filter(|d| !in_comment(d.range.start))
            .map(|d| FlowDollarMistake {
                sub: d.sub,
                span: Span::new(file, d.range.clone()),
            })
            .collect(),
    })
}

fn span_of(sub: &Substituted, file: FileId, r: std::ops::Range<usize>) -> Span {
    Span::new(file, sub.map_range(r).0)
}

/// Check the document is an Archy flow: a mapping with exactly one key, a known flow type, whose
/// value is a mapping. Returns the type, its key node and the body node.
fn flow_root(
    tree: &tree::Tree,
    file: FileId,
    sub: &Substituted,
) -> Result<(String, tree::NodeId, tree::NodeId), LoadError> {
    let root_span = span_of(sub, file, tree.spans[tree.root].clone());
    let entries = match tree.node(tree.root) {
        tree::Node::Map(entries) => entries,
        other => {
            let what = match other {
                tree::Node::Seq(_) => "a sequence",
                tree::Node::Alias => "an alias",
                _ => "a scalar",
            };
            return Err(LoadError::new(
                format!(
                    "not an Archy flow: the top level is {what}, not a mapping with the flow type as its key"
                ),
                root_span,
            ));
        }
    };
    let [(key, body)] = entries.as_slice() else {
        return Err(LoadError::new(
            format!(
                "not an Archy flow: expected one top-level key naming the flow type, found {}",
                entries.len()
            ),
            root_span,
        ));
    };
    let key_span = span_of(sub, file, tree.spans[*key].clone());
    let flow_type = tree.scalar(*key).unwrap_or_default();
    if !FLOW_TYPES.contains(&flow_type) {
        return Err(LoadError::new(
            format!(
                "not an Archy flow: `{flow_type}` is not an Archy flow type (expected one of {})",
                FLOW_TYPES.join(", ")
            ),
            key_span,
        ));
    }
    if !matches!(tree.node(*body), tree::Node::Map(_)) {
        return Err(LoadError::new(
            format!("not an Archy flow: `{flow_type}` must hold a mapping of flow settings"),
            key_span,
        ));
    }
    Ok((flow_type.to_string(), *key, *body))
}

#[cfg(test)]
mod tests;

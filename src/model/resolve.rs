//! Resolving values to org objects: symbolic ids, data-source lookups, raw GUIDs.

use rayon::prelude::*;

use crate::source::Span;
use crate::value::{V, Val};

use super::{FactSource, Lookup, Model, ObjId, types};

/// What a reference points at.
#[derive(Debug, Clone)]
///
/// 16 bytes: every wrap-up code a queue offers is one, twice (as an id reference and in the
/// queue's assignment), so the rare cases are boxed.
pub enum Target {
    Obj(ObjId),
    /// Definitely absent: a data source whose name no state lists, or a GUID that no state that
    /// lists the type knows.
    Missing(Box<Missing>),
    /// Cannot be known statically; the reason is for `dynamic-reference` notes. Behind a thin
    /// pointer: a `Target` is then 16 bytes instead of 24, and a [`Ref`] is made for every
    /// element of every list of ids (about 80,000 at 10 MB of input, all kept to the end of
    /// the run, when its memory peaks).
    Unknown(Box<Box<str>>),
}

impl Target {
    pub fn unknown(why: impl Into<Box<str>>) -> Self {
        Target::Unknown(Box::new(why.into()))
    }
}

const _: () = assert!(std::mem::size_of::<Target>() == 16);
const _: () = assert!(std::mem::size_of::<Ref>() == 32);

#[derive(Debug, Clone)]
pub enum Missing {
    /// `data.<type>.<label>` found nothing by that name.
    Data { data: usize },
    /// A literal id no loaded state knows.
    Id {
        id: String,
        candidates_type: Option<String>,
    },
    /// A name (in a flow) that matches no object of the type in configuration or state.
    Name { rtype: String, name: String },
    /// A literal that cannot be an id of the type at all (`queue_id = "Support"`: a name
    /// where the id goes). Known without any state: these types' ids are GUIDs.
    NotAnId { text: String },
}

/// A resolved reference and where it was written.
#[derive(Debug, Clone)]
pub struct Ref {
    pub target: Target,
    /// Where the reference is used (the list element, or the attribute when the element was written
    /// elsewhere).
    pub span: Option<Span>,
}

impl Ref {
    pub fn obj(&self) -> Option<ObjId> {
        match self.target {
            Target::Obj(id) => Some(id),
            _ => None,
        }
    }

    /// Whether this is a system wrap-up code (`ININ-OUTBOUND-BUSY`), named by its id, which is
    /// its name: the system (the dialer, the ACW timeout) sets it, and no queue assigns it.
    pub fn is_system_code(&self) -> bool {
        matches!(&self.target, Target::Unknown(why) if why.ends_with(SYSTEM_CODE))
    }
}

/// The end of the reason a system wrap-up code's reference is unknown (see
/// [`Ref::is_system_code`]).
const SYSTEM_CODE: &str = " is a system wrap-up code: the system sets it, and no queue assigns it";

/// A queue's assigned wrap-up codes, as far as they are known.
#[derive(Debug, Clone)]
pub struct Assignment {
    pub codes: Vec<Ref>,
    /// The `wrapup_codes` attribute's value span (config or state).
    pub span: Option<Span>,
    pub source: FactSource,
    /// False when some entries are unknown: absence of a code then proves nothing.
    pub complete: bool,
    /// What the unknown entries are known not to be, each: `None` when one of them could be
    /// any code. See [`Unidentified`].
    pub unknowns: Option<Vec<Unidentified>>,
}

/// An entry of a queue's codes that names no known object, but still rules some out.
#[derive(Debug, Clone)]
pub enum Unidentified {
    /// A literal id (an export's raw GUID for a code it did not export, an id no listing
    /// loaded holds): some code, but none whose id is known, since a known id would have
    /// resolved (compared again ignoring case: a GUID typed in capitals resolves to nothing).
    Id(String),
    /// A data source's lookup by this name, not resolved (no state lists the type): a code
    /// of that name, and names are unique in an org, so no code of another name.
    Named(String),
}

impl Assignment {
    pub fn contains(&self, code: ObjId) -> bool {
        self.codes.iter().any(|r| r.obj() == Some(code))
    }

    /// Whether `code` not being among the known entries means the queue does not offer it:
    /// every entry is known, or each unknown one rules `code` out (an id, and `code`'s id is
    /// known; a name, and `code` has another). A code with no known id (declared, not read
    /// from the org) may be any id.
    pub fn lacks(&self, m: &Model, code: ObjId) -> bool {
        if self.contains(code) {
            return false;
        }
        if self.complete {
            return true;
        }
        let Some(unknowns) = &self.unknowns else {
            return false;
        };
        let code = m.obj(code);
        unknowns.iter().all(|u| match u {
            Unidentified::Id(id) => {
                (code.id.as_deref()).is_some_and(|c| !c.eq_ignore_ascii_case(id))
            }
            Unidentified::Named(name) => {
                (code.name.as_deref()).is_some_and(|n| !n.eq_ignore_ascii_case(name))
            }
        })
    }
}

/// GUIDs as Genesys writes them (8-4-4-4-12 hex).
pub fn looks_like_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Whether `s`, which is not a GUID, may still be the id of an object of `rtype`. Genesys
/// gives these types GUIDs; the exceptions are the system wrap-up codes, whose ids are their
/// names (`ININ-WRAP-UP-TIMEOUT`, `ININ-OUTBOUND-MACHINE`, ...), which outbound rule sets and
/// wrap-up mappings name, and `*`, all divisions, where an OAuth client's role is granted.
/// Other types' ids are not known to be GUIDs: anything may be.
fn could_be_id(rtype: &str, s: &str) -> bool {
    match rtype {
        types::WRAPUP_CODE => s.starts_with("ININ-"),
        // An OAuth client's role granted in every division.
        types::DIVISION => s == "*",
        types::QUEUE
        | types::FLOW
        | types::OUTBOUND_RULESET
        | types::INTEGRATION
        | types::CREDENTIAL
        | types::OAUTH_CLIENT
        | types::ROLE => false,
        _ => true,
    }
}

/// Marker prefix for an address reference inside state attributes (an export's `"${type.label.id}"`
/// whose target id the export's own state does not give).
pub const ADDRESS_REF: &str = "\u{1}address:";

impl Model {
    /// Resolve a value expected to be the id of an object of `rtype`.
    pub fn resolve(&self, v: &Val, rtype: &str, use_site: Option<Span>) -> Ref {
        let span = pick_span(v.span, use_site);
        let target = match &v.v {
            V::Id(inst) => {
                if let Some(&obj) = self.by_instance.get(inst) {
                    Target::Obj(obj)
                } else if let Some(&d) = self.data_by_instance.get(inst) {
                    match &self.data[d].lookup {
                        Lookup::Found(obj) => Target::Obj(*obj),
                        Lookup::NotFound => Target::Missing(Box::new(Missing::Data { data: d })),
                        Lookup::Unknown(why) => Target::unknown(why.as_str()),
                    }
                } else {
                    Target::unknown("the referenced resource has no known instance")
                }
            }
            V::String(s) if s.starts_with(ADDRESS_REF) => {
                match self.by_address.get(&s[ADDRESS_REF.len()..]) {
                    Some(&o) => Target::Obj(o),
                    None => Target::unknown(format!(
                        "`{}` is not in any loaded input",
                        &s[ADDRESS_REF.len()..]
                    )),
                }
            }
            V::String(s) => match self.by_id.get(&**s) {
                Some(&o) => Target::Obj(o),
                // A state's refresh read it from the org: it existed, though no listing
                // loaded holds it (a workspace's state lists only what the workspace manages).
                None if (v.span).is_some_and(|sp| self.refreshed_files.contains(&sp.file)) => {
                    Target::unknown(format!(
                        "id `{s}` is in the Terraform state, but no org listing loaded holds it"
                    ))
                }
                // Ids are never reused: one a plan destroys is gone after apply.
                None if looks_like_guid(s)
                    && (self.state_covers_ids(rtype)
                        || self.deleted_by_plan(rtype, s, true).is_some()) =>
                {
                    Target::Missing(Box::new(Missing::Id {
                        id: s.to_string(),
                        candidates_type: Some(rtype.to_owned()),
                    }))
                }
                None if looks_like_guid(s) => Target::unknown(format!(
                    "id `{s}` cannot be checked without org state (`--state`)"
                )),
                None if !s.is_empty() && !could_be_id(rtype, s) => {
                    Target::Missing(Box::new(Missing::NotAnId {
                        text: s.to_string(),
                    }))
                }
                None if rtype == types::WRAPUP_CODE && could_be_id(rtype, s) => {
                    Target::unknown(format!("`{s}`{SYSTEM_CODE}"))
                }
                None => Target::unknown(format!("`{s}` is not an id")),
            },
            V::Unknown(why) => Target::unknown(why.to_string()),
            V::Null => Target::unknown("null"),
            _ => Target::unknown(format!("a {} is not an id", v.type_name())),
        };
        Ref { target, span }
    }

    /// Resolve every element of a list-of-ids attribute.
    pub fn resolve_list(&self, v: &Val, rtype: &str, attr_span: Option<Span>) -> (Vec<Ref>, bool) {
        match &v.v {
            V::List(items) => {
                let refs: Vec<Ref> = items
                    .iter()
                    .map(|i| self.resolve(i, rtype, attr_span.or(v.span)))
                    .collect();
                // A system code's id is known: it is not some other code.
                let complete = (refs.iter())
                    .all(|r| !matches!(r.target, Target::Unknown(_)) || r.is_system_code());
                (refs, complete)
            }
            V::Null => (Vec::new(), true),
            _ => {
                let r = self.resolve(v, rtype, attr_span.or(v.span));
                let complete = !matches!(r.target, Target::Unknown(_));
                (vec![r], complete)
            }
        }
    }

    /// What an entry of a queue's codes that resolved to no object still rules out, if anything.
    fn unidentified(&self, item: &Val) -> Option<Unidentified> {
        match &item.v {
            V::String(s) if looks_like_guid(s) => Some(Unidentified::Id(s.to_string())),
            V::Id(inst) => {
                let d = &self.data[*self.data_by_instance.get(inst)?];
                let named = d.rtype == types::WRAPUP_CODE && matches!(d.lookup, Lookup::Unknown(_));
                Some(Unidentified::Named(d.name.clone().filter(|_| named)?))
            }
            _ => None,
        }
    }

    /// A queue's assigned wrap-up codes: the configuration's explicit list, else state's; `None` when
    /// neither says (an unmanaged `wrapup_codes` with no state: unknown, not empty).
    pub fn assignment(&self, queue: ObjId) -> Option<&Assignment> {
        let all = self.assignments();
        let at = all.binary_search_by_key(&queue, |(q, _)| *q).ok()?;
        Some(&all[at].1)
    }

    /// The assignment of every queue that has one, by object id (computed once, on every
    /// core). Queues only: a slot for every object was a megabyte at 10 MB of input, at the
    /// end of the run, when its memory peaks.
    pub(super) fn assignments(&self) -> &[(ObjId, Assignment)] {
        self.cache.assignments.get_or_init(|| {
            let mut queues: Vec<ObjId> = self.of_type(types::QUEUE).map(|(q, _)| q).collect();
            queues.sort_unstable();
            queues
                .into_par_iter()
                .filter_map(|q| Some((q, self.compute_assignment(q)?)))
                .collect()
        })
    }

    fn compute_assignment(&self, queue: ObjId) -> Option<Assignment> {
        let q = self.obj(queue);
        let (v, source) = q.attr("wrapup_codes")?;
        if v.is_unknown() {
            return Some(Assignment {
                codes: Vec::new(),
                span: v.span,
                source,
                complete: false,
                unknowns: None,
            });
        }
        let (codes, complete) = self.resolve_list(v, types::WRAPUP_CODE, v.span);
        let unknowns = match &v.v {
            V::List(items) => (items.iter().zip(&codes))
                .filter(|(_, r)| matches!(r.target, Target::Unknown(_)) && !r.is_system_code())
                .map(|(item, _)| self.unidentified(item))
                .collect(),
            _ if complete => Some(Vec::new()),
            _ => None,
        };
        Some(Assignment {
            codes,
            span: v.span,
            source,
            complete,
            unknowns,
        })
    }
}

/// The span to report a reference at: the value's own span when it lies within the use site (the
/// list element as written), else the use site (the value came from a variable or output elsewhere).
pub fn pick_span(value: Option<Span>, use_site: Option<Span>) -> Option<Span> {
    match (value, use_site) {
        (Some(v), Some(u)) if v.file == u.file && v.start >= u.start && v.end <= u.end => Some(v),
        (_, Some(u)) => Some(u),
        (v, None) => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guid_shape() {
        assert!(looks_like_guid("8f3a1c52-0b7e-4d1a-9c3e-2f6b7a8d9e01"));
        assert!(!looks_like_guid("8f3a1c52-0b7e-4d1a-9c3e-2f6b7a8d9e0"));
        assert!(!looks_like_guid("Support"));
    }

    #[test]
    fn ids_that_are_not_guids() {
        // A queue's or a role's name is never its id; a system wrap-up code's is.
        assert!(!could_be_id(types::QUEUE, "Support"));
        assert!(!could_be_id(types::ROLE, "Master Admin"));
        assert!(!could_be_id(types::WRAPUP_CODE, "Resolved"));
        assert!(could_be_id(types::WRAPUP_CODE, "ININ-WRAP-UP-TIMEOUT"));
        assert!(!could_be_id(types::DIVISION, "Home"));
        assert!(could_be_id(types::DIVISION, "*"));
        // Types whose ids are not known to be GUIDs take anything.
        assert!(could_be_id(types::OUTBOUND_CAMPAIGN, "Renewals"));
    }
}

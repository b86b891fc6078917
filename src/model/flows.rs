//! Architect flows: by-name references to queues and wrap-up codes, and the wrap-up usages they
//! imply (DOMAIN.md sections 3 and 6).
//!
//! The flow files are read and parsed by `check` (I/O stays out of the model); this module resolves
//! what they reference and adds the (code, queue) pairs: a `setWrapupCode` followed by a transfer
//! in the same task, and in an in-queue flow, every queue whose in-queue flow it is.

use crate::load::archy::{FlowDoc, FlowRef, FlowValue, RefKind, RefRole, SubValue};
use crate::source::Span;

use super::refs::IdRef;
use super::resolve::{Missing, Ref, Target};
use super::usage::{UsageKind, WrapupUsage};
use super::{Model, ObjId, types};

/// What loading a `genesyscloud_flow`'s file gave.
#[derive(Debug, Clone)]
pub enum FlowFile {
    Loaded(Box<FlowDoc>),
    /// The file at `filepath` does not exist.
    NotFound {
        path: String,
        /// A file of the same name near where the path points (a directory named twice, or
        /// the root module's), as shown: probably the one meant.
        similar: Option<String>,
        /// What is there instead, when something is: `a directory`, `not a regular file`
        /// (a device, a FIFO), `not readable`.
        instead: Option<&'static str>,
    },
    /// `filepath` is not known statically: why.
    Unknown(String),
    /// The file at `filepath` does not exist yet: a resource of the configuration writes it at
    /// apply (see [`super::WrittenFile`]).
    WrittenAtApply {
        path: String,
        /// The resource that writes it.
        by: std::sync::Arc<str>,
    },
    /// `filepath` is a URL (`s3://bucket/key`, which the provider reads): its scheme. Not
    /// fetched: a linter reads the repository, not buckets.
    Remote(String),
    /// It exists but could not be parsed (a `parse-error` was reported).
    Broken,
    /// Not read: the flows before it in the run had read as many bytes as a run may
    /// (`crate::eval_budget::MAX_RUN_FLOW_BYTES`, in this run `limit`).
    OverBudget {
        limit: usize,
    },
}

/// One flow resource and its file.
#[derive(Debug, Clone)]
pub struct FlowInfo {
    pub obj: ObjId,
    /// The `filepath` attribute's value span.
    pub filepath_span: Option<Span>,
    pub file: FlowFile,
    /// The resource's `substitutions`, in the order given to the parser.
    pub subs: Vec<(String, SubValue)>,
}

impl FlowInfo {
    pub fn doc(&self) -> Option<&FlowDoc> {
        match &self.file {
            FlowFile::Loaded(d) => Some(d),
            _ => None,
        }
    }
}

impl Model {
    /// Add loaded flows: resolve their references and derive wrap-up usages.
    pub fn add_flows(&mut self, flows: Vec<FlowInfo>) {
        let mut usages = Vec::new();
        let mut name_refs = Vec::new();
        let in_queue = self.queues_by_in_queue_flow();
        for f in &flows {
            // A flow's name lives in its YAML, not in the resource.
            if let (Some((name, _)), None) = (
                f.doc().and_then(|d| d.name.as_ref()),
                &self.objects[f.obj.0 as usize].name,
            ) {
                self.objects[f.obj.0 as usize].name = Some(name.into());
            }
        }
        for f in &flows {
            let Some(doc) = f.doc() else { continue };
            let resolved: Vec<(&FlowRef, Option<Ref>)> = doc
                .refs
                .iter()
                .map(|r| (r, self.resolve_flow_ref(r)))
                .collect();
            for (r, res) in &resolved {
                if let Some(res) = res {
                    let (expected, attr) = match r.kind {
                        RefKind::Queue => (types::QUEUE, "targetQueue"),
                        RefKind::WrapupCode => (types::WRAPUP_CODE, "wrapupCode"),
                        RefKind::Other(_) => continue,
                    };
                    name_refs.push(IdRef {
                        subject: f.obj,
                        attr,
                        expected,
                        r: res.clone(),
                    });
                }
            }
            let in_queue_of: &[(ObjId, Option<Span>)] = match doc.flow_type.starts_with("inqueue") {
                true => in_queue.get(&f.obj).map(Vec::as_slice).unwrap_or_default(),
                false => &[],
            };
            for (set, code) in resolved
                .iter()
                .filter(|(r, _)| r.role == RefRole::SetWrapupCode)
            {
                let Some(code) = code else { continue };
                // A transfer later in the same task/state/menu receives the interaction with the code set.
                for (t, queue) in resolved.iter().filter(|(t, _)| {
                    matches!(t.role, RefRole::TransferToAcd | RefRole::MenuTransferToAcd)
                        && t.order > set.order
                        && t.scope == set.scope
                }) {
                    let Some(queue) = queue else { continue };
                    let _ = t;
                    usages.push(WrapupUsage {
                        kind: UsageKind::Flow,
                        subject: f.obj,
                        code: code.clone(),
                        queue: queue.clone(),
                        via: None,
                    });
                }
                for (q, span) in in_queue_of {
                    let queue = Ref {
                        target: Target::Obj(*q),
                        span: *span,
                    };
                    usages.push(WrapupUsage {
                        kind: UsageKind::Flow,
                        subject: f.obj,
                        code: code.clone(),
                        queue,
                        via: None,
                    });
                }
            }
        }
        // Sized exactly, as `collect_usages` does.
        self.usages.reserve_exact(usages.len());
        self.usages.extend(usages);
        self.name_refs.reserve_exact(name_refs.len());
        self.name_refs.extend(name_refs);
        self.flows = flows;
    }

    /// Resolve a by-name flow reference; `None` for dynamic values and other object kinds.
    fn resolve_flow_ref(&self, r: &FlowRef) -> Option<Ref> {
        let rtype = match r.kind {
            RefKind::Queue => types::QUEUE,
            RefKind::WrapupCode => types::WRAPUP_CODE,
            RefKind::Other(_) => return None,
        };
        let target = match &r.value {
            FlowValue::Literal { name } => self.resolve_name_target(rtype, name),
            FlowValue::Dynamic { expr } => {
                Target::unknown(format!("`{expr}` is evaluated when the flow runs"))
            }
            FlowValue::Unknown { text } => Target::unknown(format!(
                "`{text}` comes from a substitution that is not known before apply"
            )),
        };
        Some(Ref {
            target,
            span: Some(r.span),
        })
    }

    /// An object by type and name: found, definitely missing (a state lists that type), or unknown.
    pub fn resolve_name_target(&self, rtype: &str, name: &str) -> Target {
        match self.named(rtype, name).first() {
            Some(o) => Target::Obj(*o),
            // A plan that destroys the object it names: gone after apply, whatever else the
            // org holds (names of these types are unique in the org).
            None if self.state_covers(rtype)
                || self.deleted_by_plan(rtype, name, false).is_some() =>
            {
                Target::Missing(Box::new(Missing::Name {
                    rtype: rtype.to_owned(),
                    name: name.to_owned(),
                }))
            }
            None => Target::unknown(format!(
                "no {} named `{name}` in the configuration; without org state (`--state`) it cannot be checked",
                types::noun(rtype)
            )),
        }
    }

    /// For each in-queue flow, the queues that use it (call, email or message), with the span of
    /// the attribute: indexed once, not flows x queues.
    fn queues_by_in_queue_flow(
        &self,
    ) -> std::collections::HashMap<ObjId, Vec<(ObjId, Option<Span>)>> {
        let mut out: std::collections::HashMap<ObjId, Vec<(ObjId, Option<Span>)>> =
            std::collections::HashMap::new();
        for (q, queue) in self.of_type(types::QUEUE) {
            for attr in [
                "queue_flow_id",
                "email_in_queue_flow_id",
                "message_in_queue_flow_id",
            ] {
                if let Some((v, _)) = queue.attr(attr) {
                    if let Some(flow) = self.resolve(v, types::FLOW, v.span).obj() {
                        out.entry(flow).or_default().push((q, v.span));
                    }
                }
            }
        }
        out
    }
}

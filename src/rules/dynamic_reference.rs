//! `dynamic-reference`: a check that could not be made because a value is only known at run time.

use std::collections::HashSet;

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::eval::EvalProblem;
use crate::eval_budget::RunBound;
use crate::load::archy::{FlowValue, RefKind};
use crate::model::flows::FlowFile;
use crate::model::{Offer, Target, UsageKind, types};

crate::declare_rule! {
    /// ## What it does
    /// Checks for cross-references cxlint could not verify because a value is not known before
    /// `terraform apply` (a variable with no value, a computed attribute, a data source without
    /// `--state`, a queue or wrap-up code a flow names through a substitution without a value or
    /// that only org state could have, a queue that does not manage its codes, a flow's
    /// `filepath` or a flow file the configuration writes at apply (`local_file`), a resource whose `for_each` or `count` is not known, so that none of its
    /// instances is checked; not in a module directory nothing calls and without a provider or
    /// backend, a module checked on its own, whose caller would give the values it lacks), and
    /// says so, once per place, as information. A flow's `exp:` and `var:`
    /// values are not reported as objects the flow names: the flow works them out when it
    /// runs, and nothing given to cxlint could make them known; a wrap-up code the flow sets,
    /// or a queue it transfers to, through one is reported once, as a pair of code and queue
    /// that cannot be checked. Also values cxlint gives
    /// up on because computing them would take unbounded work (`for` expressions nested deep over long lists, a string
    /// or list built from itself twice, over and over): such an expression is reported with the
    /// bound it reached, and nothing that depends on it is checked. And a check left incomplete
    /// because the whole run reached one of its bounds, each reported once, where it was
    /// reached: 50,000,000 steps of evaluation, 12,000,000 elements of values kept (evaluated
    /// resource bodies included), 500,000 module and resource instances (a module called with
    /// `count` multiplies the instances of each `count` inside), or 128 MiB of flow files read
    /// (their substitutions filled in). Nothing past the bound is evaluated, expanded or read;
    /// which values that leaves unknown can depend on the order the cores evaluate in.
    ///
    /// ## Why is this bad?
    /// It is not wrong: it is unverified. cxlint never reports an error built on an unknown value;
    /// this finding tells you what to supply (`--var`, `--state`, a snapshot) to have it checked.
    ///
    /// ## Example
    /// ```hcl
    /// variable "queue_id" {}
    /// resource "genesyscloud_outbound_ruleset" "retry" {
    ///   name     = "Retry"
    ///   queue_id = var.queue_id
    ///   rules {
    ///     conditions {
    ///       type  = "wrapupCondition"
    ///       codes = [genesyscloud_routing_wrapupcode.escalated.id]
    ///     }
    ///   }
    /// }
    /// ```
    /// Use instead: give the value (`--var queue_id=...`, `terraform.tfvars`) or org state.
    DynamicReference, "CX107", "dynamic-reference", References, Info
}

impl Rule for DynamicReference {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let m = cx.model;
        let start = out.len();
        let mut seen = HashSet::new();
        for u in &m.usages {
            // A queue of its alternatives offers the code: whatever this queue's codes are,
            // the use is right.
            if m.offer(u) == Some(Offer::Offered) {
                continue;
            }
            let subject = m.obj(u.subject);
            let reason = match (&u.code.target, &u.queue.target) {
                (Target::Unknown(why), _) => {
                    Some((u.code.span, format!("wrap-up code is not known: {why}")))
                }
                (_, Target::Unknown(why)) => {
                    Some((u.queue.span, format!("queue is not known: {why}")))
                }
                (Target::Obj(c), Target::Obj(q)) if m.obj(*q).rtype == types::QUEUE => {
                    match m.assignment(*q) {
                        None => Some((
                            u.queue.span,
                            format!(
                                "queue `{}` does not manage `wrapup_codes` and no org state gives them",
                                m.obj(*q).display()
                            ),
                        )),
                        // The queue offers it, or is known not to (the other rule's): only
                        // a code neither among the known entries nor ruled out is unchecked.
                        Some(a) if !a.contains(*c) && !a.lacks(m, *c) => Some((
                            a.span.or(u.queue.span),
                            format!(
                                "some of queue `{}`'s codes are not known",
                                m.obj(*q).display()
                            ),
                        )),
                        _ => None,
                    }
                }
                _ => None,
            };
            let Some((span, why)) = reason else { continue };
            let Some(span) = span.or_else(|| subject.config.as_ref().map(|c| c.header)) else {
                continue;
            };
            if !seen.insert((span, why.clone())) {
                continue;
            }
            // A flow's `exp:` / `var:` value is worked out when the flow runs: neither state
            // nor a variable's value would make it known.
            let at_run_time = (m.flows.iter())
                .filter(|f| f.obj == u.subject)
                .filter_map(|f| f.doc())
                .flat_map(|d| &d.refs)
                .any(|r| r.span == span && matches!(r.value, FlowValue::Dynamic { .. }));
            let help = match at_run_time {
                true => {
                    "the flow works this value out when it runs: name the object with `lit:` to have it checked"
                }
                false => {
                    "pass org state with `--state` (an export, a tfstate or a `cxlint snapshot`), or give the variable a value"
                }
            };
            out.push(
                Diagnostic::at(
                    &Self::META,
                    format!(
                        "cannot check the wrap-up code used by {} `{}`{}",
                        u.kind.describe(),
                        subject.display(),
                        // The subject of a campaign's usage is the rule set it runs.
                        match u.kind {
                            UsageKind::Campaign(camp) => {
                                format!(" on campaign `{}`", m.obj(camp).display())
                            }
                            _ => String::new(),
                        }
                    ),
                    span,
                )
                .label("value not known to cxlint")
                .note(why)
                .subject(subject.address.clone())
                .help(help),
            );
        }
        // A flow's queues and wrap-up codes named by values not known before apply (a
        // substitution without a value), or not in the configuration without org state: each
        // where the flow names it, unless a usage above was reported there. `exp:` and `var:`
        // values are not: they are the flow's own, worked out when it runs, and nothing given
        // to cxlint could make them known.
        let reported: HashSet<_> = seen.iter().map(|(span, _)| *span).collect();
        for f in &m.flows {
            let Some(doc) = f.doc() else { continue };
            for r in &doc.refs {
                let (rtype, noun) = match r.kind {
                    RefKind::Queue => (types::QUEUE, "queue"),
                    RefKind::WrapupCode => (types::WRAPUP_CODE, "wrap-up code"),
                    RefKind::Other(_) => continue,
                };
                let (label, why, help) = match &r.value {
                    FlowValue::Dynamic { .. } => continue,
                    FlowValue::Unknown { text } => {
                        let sub = (r.from_substitution.and_then(|i| f.subs.get(i)))
                            .map(|(name, _)| format!(" (substitution `{name}`)"))
                            .unwrap_or_default();
                        (
                            "value not known to cxlint",
                            format!("`{text}` takes a value not known before apply{sub}"),
                            "give the substitution's value (`--var`, `--var-file`, a `terraform.tfvars`) to have it checked",
                        )
                    }
                    FlowValue::Literal { name } => match m.resolve_name_target(rtype, name) {
                        Target::Unknown(why) => (
                            "not in the configuration",
                            why.to_string(),
                            "pass org state with `--state` (an export, a tfstate or a `cxlint snapshot`) to have it checked",
                        ),
                        _ => continue,
                    },
                };
                if reported.contains(&r.span) || !seen.insert((r.span, why.clone())) {
                    continue;
                }
                let flow = m.obj(f.obj);
                let mut d = Diagnostic::at(
                    &Self::META,
                    format!("cannot check the {noun} named by flow `{}`", flow.display()),
                    r.span,
                )
                .label(label)
                .note(why)
                .subject(flow.address.clone())
                .help(help);
                if let Some((name, sub)) = r.from_substitution.and_then(|i| f.subs.get(i)) {
                    if sub.span != Default::default() {
                        d = d.related_span(sub.span, format!("substitution `{name}`"));
                    }
                }
                out.push(d);
            }
        }
        // A resource whose instances are not known (`for_each` over a value known at apply, or
        // over what cxlint does not evaluate) has no objects: nothing of it is checked.
        for u in &m.unexpanded {
            // A module checked on its own lacks its caller's values by design; what the run's
            // bounds left unexpanded is said once, below.
            if u.mode != crate::load::Mode::Managed
                || !u.rtype.starts_with("genesyscloud_")
                || u.standalone_module
                || u.over_budget
            {
                continue;
            }
            let Some(span) = u.span else { continue };
            out.push(
                Diagnostic::at(
                    &Self::META,
                    format!("cannot check `{}`: its instances are not known", u.address),
                    span,
                )
                .label("value not known to cxlint")
                .note(u.why.to_string())
                .subject(u.address.clone())
                .help(match from_unset_variable(&u.why) {
                    true => "give the variable a value (`--var`, `--var-file`, a `terraform.tfvars`) to have each instance checked",
                    false => "cxlint checks each instance when `for_each` / `count` can be worked out before apply: the note says what stops it",
                }),
            );
        }
        // The flows not read once the run had read as many bytes of flows as it may: said once,
        // at the first.
        let over = (m.flows.iter()).find_map(|f| match f.file {
            FlowFile::OverBudget { limit } => Some((f, limit)),
            _ => None,
        });
        if let Some((f, limit)) = over {
            let flow = m.obj(f.obj);
            if let Some(span) = (f.filepath_span).or_else(|| flow.config.as_ref().map(|c| c.header))
            {
                out.push(
                    Diagnostic::at(
                        &Self::META,
                        format!("the check is incomplete: the flow files read add up to more than {limit} bytes, their substitutions filled in"),
                        span,
                    )
                    .label("not read: the run has read as many bytes of flows as it may")
                    .note(format!("flow `{}` and the flows after it whose files were to be read are not checked", flow.display()))
                    .subject(flow.address.clone())
                    .help("a flow with `count` or `for_each` reads its file once for each instance, with its own substitutions: check that the flows and their files are what you meant"),
                );
            }
        }
        // A flow whose file is not known is not checked at all: no placeholder, substitution or
        // queue of it.
        for f in &m.flows {
            let (label, note, help) = match &f.file {
                // Said once for all, where the run reached its bound.
                FlowFile::Unknown(why) if RunBound::is_reason(why) => continue,
                FlowFile::Unknown(why) => (
                    "value not known to cxlint",
                    why.clone(),
                    // Only a variable without a value is the user's to give; anything else
                    // (a value known at apply, an expression Terraform would reject) is said
                    // by the note.
                    match from_unset_variable(why) {
                        true => {
                            "give the variable a value (`--var`, `--var-file`, a `terraform.tfvars`) to have the flow checked"
                        }
                        false => {
                            "cxlint reads a flow's file when `filepath` can be worked out before apply: the note says what stops it"
                        }
                    },
                ),
                FlowFile::WrittenAtApply { path, by } => (
                    "a file written at apply",
                    format!(
                        "`{path}` is written by `{by}` when the configuration is applied, and does not exist yet"
                    ),
                    "cxlint reads the flow once the file exists; keeping the flow's YAML in the repository has it checked in every pull request",
                ),
                FlowFile::Remote(scheme) => (
                    "a remote file",
                    format!(
                        "`filepath` is a URL (`{scheme}://`): cxlint reads local flow files only, and fetches nothing"
                    ),
                    "point `filepath` at a copy of the file in the repository to have the flow checked",
                ),
                _ => continue,
            };
            let flow = m.obj(f.obj);
            let Some(span) = f
                .filepath_span
                .or_else(|| flow.config.as_ref().map(|c| c.header))
            else {
                continue;
            };
            out.push(
                Diagnostic::at(
                    &Self::META,
                    format!("cannot check the file of flow `{}`", flow.display()),
                    span,
                )
                .label(label)
                .note(note)
                .subject(flow.address.clone())
                .help(help),
            );
        }
        for p in &m.eval_problems {
            match p {
                EvalProblem::TooManyInstances { what, count, span } => out.push(
                    Diagnostic::at(&Self::META, format!("`{what}` has {count} instances: too many to expand, so none of them is checked"), *span)
                        .label(format!("more than {} instances", crate::eval::MAX_INSTANCES))
                        .subject(what.clone())
                        .help("check that `count` / `for_each` is what you meant; cxlint checks at most 10,000 instances of one resource"),
                ),
                EvalProblem::TooCostly { what, why, span } => out.push(
                    Diagnostic::at(&Self::META, format!("{what} is too costly to evaluate, so nothing that depends on it is checked"), *span)
                        .label("not evaluated")
                        .note(why.clone())
                        .help("Terraform has to do the same work at plan time: simplify the expression (each `for` inside a `for` multiplies the work, and a value built from itself twice doubles)"),
                ),
                EvalProblem::Incomplete {
                    bound,
                    limit,
                    what,
                    span,
                } => out.push(incomplete(*bound, *limit, what, *span)),
                EvalProblem::Cycle { .. }
                | EvalProblem::MissingKey { .. }
                | EvalProblem::MissingInstance { .. } => {}
            }
        }
        // An index that misses a map or the instances the configuration spells out is
        // `unresolved-reference`'s error: the value it leaves unknown is not asked of the user.
        let missed: Vec<crate::source::Span> = (m.eval_problems.iter())
            .filter_map(|p| match p {
                EvalProblem::MissingKey { span, .. }
                | EvalProblem::MissingInstance { span, .. } => Some(*span),
                _ => None,
            })
            .collect();
        if !missed.is_empty() {
            let within = |d: &Diagnostic| {
                d.span().is_some_and(|s| {
                    (missed.iter())
                        .any(|x| x.file == s.file && s.start <= x.start && x.end <= s.end)
                })
            };
            let mine = out.split_off(start);
            out.extend(mine.into_iter().filter(|d| !within(d)));
        }
    }
}

/// The check is incomplete: the run reached one of its bounds (`crate::eval_budget::Run`) at
/// `what`, and evaluated or expanded nothing more.
fn incomplete(bound: RunBound, limit: u64, what: &str, span: crate::source::Span) -> Diagnostic {
    let (message, label, note) = match bound {
        RunBound::Steps => (
            format!(
                "the check is incomplete: evaluating the configuration takes more than {limit} steps"
            ),
            "the evaluation budget ran out here",
            "the steps of all the expressions evaluated are counted, in every instance",
        ),
        RunBound::Weight => (
            format!(
                "the check is incomplete: the evaluated configuration weighs more than {limit} elements"
            ),
            "the memory budget ran out here",
            "the elements of every value kept are counted (each string by its length), in every instance's body",
        ),
        RunBound::Instances => (
            format!(
                "the check is incomplete: the configuration has more than {limit} module and resource instances"
            ),
            "not expanded: the run has as many instances as it may",
            "the instances of every module instance are counted: a `count` in a module called with `count` multiplies",
        ),
    };
    Diagnostic::at(&DynamicReference::META, message, span)
        .label(label)
        .note(match bound {
            RunBound::Instances => format!("{note}; from {what} on, instances are not expanded, and nothing of them is checked"),
            _ => format!("{note}; from {what} on, values are not known to cxlint, and nothing built on them is checked"),
        })
        .help("Terraform has to do the same work at plan time: check the `count`, `for_each` and `for` expressions that multiply it; what lies past the bound is not checked")
}

/// Whether an unknown value's reason is a variable without a value (the one cause the user
/// supplies with `--var`); any other (a value known at apply, a function cxlint does not
/// evaluate, an expression Terraform would reject) is said by the note.
fn from_unset_variable(why: &str) -> bool {
    why.starts_with("`var.") && why.ends_with("has no value")
}

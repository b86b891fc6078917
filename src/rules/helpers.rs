//! Small pieces several rules share: reference problems, messages for objects, hints.

use crate::diagnostic::{Diagnostic, Location};
use crate::model::{DataLookup, IdRefView, Lookup, Missing, Model, ObjId, Ref, Target, types};
use crate::rules::RuleMeta;
use crate::source::Span;

/// Why a resolved reference to an object of `expected` type is wrong, if it is.
pub enum RefProblem {
    /// A data source found nothing by name (reported once, at the data source).
    MissingData(usize),
    /// A literal id that no state listing that type knows.
    MissingId(String),
    /// A name (in a flow) that matches no object of the type.
    MissingName(String),
    /// A literal that cannot be an id of the type (a name where the id goes).
    NotAnId(String),
    /// The reference resolves, but to an object of another type.
    WrongType(ObjId),
    /// The reference resolves to an object the root module manages through another provider
    /// configuration (`provider = genesyscloud.emea`): another org, where its id does not exist.
    OtherOrg(ObjId),
}

/// What is wrong with `r`, held by `subject`, which must be the id of an `expected` object.
pub fn ref_problem(model: &Model, subject: ObjId, r: &Ref, expected: &str) -> Option<RefProblem> {
    match &r.target {
        Target::Obj(o) if model.obj(*o).rtype != expected => Some(RefProblem::WrongType(*o)),
        Target::Obj(o) if other_org(model, subject, *o) => Some(RefProblem::OtherOrg(*o)),
        Target::Obj(_) | Target::Unknown(_) => None,
        Target::Missing(m) => Some(match &**m {
            Missing::Data { data } => RefProblem::MissingData(*data),
            Missing::Id { id, .. } => RefProblem::MissingId(id.clone()),
            Missing::Name { name, .. } => RefProblem::MissingName(name.clone()),
            Missing::NotAnId { text } => RefProblem::NotAnId(text.clone()),
        }),
    }
}

/// Whether two configuration objects of one root module go to different orgs: they use
/// different provider configurations. Objects of other root modules, or known only from a
/// state, are not compared.
fn other_org(model: &Model, a: ObjId, b: ObjId) -> bool {
    match (&model.obj(a).config, &model.obj(b).config) {
        (Some(a), Some(b)) => a.root_dir == b.root_dir && a.org_key() != b.org_key(),
        _ => false,
    }
}

/// `genesyscloud.emea`, or `genesyscloud` for the default provider configuration.
fn provider_name(model: &Model, o: ObjId) -> &str {
    let obj = model.obj(o);
    let provider = obj.config.as_ref().and_then(|c| c.provider.as_deref());
    provider.unwrap_or(crate::model::default_provider(&obj.rtype))
}

/// The `unknown-<type>` findings for id references and data-source lookups of `expected` type.
pub fn unknown_object_findings(
    model: &Model,
    meta: &'static RuleMeta,
    expected: &'static str,
    out: &mut Vec<Diagnostic>,
) {
    for d in model.data.iter().filter(|d| d.rtype == expected) {
        if let Lookup::NotFound = &d.lookup {
            out.push(data_not_found(model, meta, d));
        }
    }
    // A missing data source is reported once, above, at the lookup, not at every use.
    out.extend(
        model
            .id_refs()
            .filter(|r| r.expected == expected)
            .filter_map(|r| id_ref_finding(model, meta, r)),
    );
}

/// A data source whose name matches nothing in a state that lists its type.
pub fn data_not_found(model: &Model, meta: &'static RuleMeta, d: &DataLookup) -> Diagnostic {
    let noun = types::noun(&d.rtype);
    let name = d.name.as_deref().unwrap_or_default();
    let gone = destroyed_by_plan(model, &d.rtype, name, false);
    let diag = Diagnostic::at(
        meta,
        format!("{noun} `{name}` {}", missing_words(gone.is_some())),
        d.span,
    )
    .label(format!("`{}` looks it up by name", d.address))
    .subject(d.address.clone());
    // The lookup works at plan time; what uses the id it found breaks once the plan is applied.
    if let Some((note, help)) = gone {
        return diag.note(note).help(help);
    }
    let diag = diag.note(state_note(model, &d.rtype));
    match model.suggest_name(&d.rtype, name) {
        Some(s) => diag.help(format!("did you mean `{s}`?")),
        None => diag.help(format!(
            "create the {noun} or fix the name; `terraform plan` fails on this lookup"
        )),
    }
}

/// The finding for an id reference that is a missing id, a missing name or an object of the
/// wrong type; `None` when it is fine, unknown, or a missing data source (see [`data_not_found`]).
pub fn id_ref_finding(
    model: &Model,
    meta: &'static RuleMeta,
    idref: IdRefView<'_>,
) -> Option<Diagnostic> {
    let span = idref.r.span?;
    let expected = idref.expected;
    let noun = types::noun(expected);
    let holder = model.obj(idref.subject);
    let d = match ref_problem(model, idref.subject, idref.r, expected)? {
        RefProblem::MissingId(id) => {
            let gone = destroyed_by_plan(model, expected, &id, true);
            let d = Diagnostic::at(
                meta,
                format!("{noun} id `{id}` {}", missing_words(gone.is_some())),
                span,
            )
            .label(format!("`{}` of `{}`", idref.attr, holder.address));
            match gone {
                Some((note, help)) => d.note(note).help(help),
                None => d.note(state_note(model, expected)).help(format!(
                    "reference a `{expected}` resource or data source instead of a raw id"
                )),
            }
        }
        RefProblem::MissingName(name) => {
            let gone = destroyed_by_plan(model, expected, &name, false);
            let d = Diagnostic::at(
                meta,
                format!("{noun} `{name}` {}", missing_words(gone.is_some())),
                span,
            )
            .label(format!(
                "`{}` of {} `{}`",
                idref.attr,
                types::noun(&holder.rtype),
                holder.display()
            ));
            // A name is missing in a flow's YAML: the resource that reads the file is the other
            // end (and keeps the finding when `cxlint check main.tf` names only that file).
            let d = match (holder.attr("filepath")).and_then(|(v, _)| v.span) {
                Some(at) if holder.rtype == types::FLOW => {
                    d.related_span(at, format!("flow file of `{}`", holder.address))
                }
                _ => d,
            };
            match gone {
                Some((note, help)) => d.note(note).help(help),
                None => {
                    let d = d.note(state_note(model, expected));
                    match model.suggest_name(expected, &name) {
                        Some(s) => d.help(format!("did you mean `{s}`?")),
                        None => d.help(format!("create the {noun} or fix the name")),
                    }
                }
            }
        }
        RefProblem::NotAnId(text) => not_an_id(model, meta, idref, &text, span),
        RefProblem::WrongType(o) => {
            let other = model.obj(o);
            let (loc, defined) = defined_here(model, o);
            Diagnostic::at(
                meta,
                format!(
                    "`{}` is {}, not {}",
                    other.address,
                    types::a(types::noun(&other.rtype)),
                    types::a(noun)
                ),
                span,
            )
            .label(format!(
                "`{}` must be the id of {}",
                idref.attr,
                types::a(noun)
            ))
            .related(loc, defined)
        }
        RefProblem::OtherOrg(o) => {
            let other = model.obj(o);
            let (here, there) = (provider_name(model, idref.subject), provider_name(model, o));
            let (loc, _) = defined_here(model, o);
            Diagnostic::at(
                meta,
                format!(
                    "{noun} `{}` is managed in another org (provider `{there}`, not `{here}`)",
                    other.display()
                ),
                span,
            )
            .label(format!(
                "`{}` of `{}`, applied with provider `{here}`",
                idref.attr, holder.address
            ))
            .related(
                loc,
                format!("`{}` is applied with provider `{there}`", other.address),
            )
            .note("an id from one org does not exist in another: applying this fails")
            .help(format!(
                "manage the {noun} in this org too (a resource with `provider = {here}`), or \
                 look it up there with a data source that has `provider = {here}`"
            ))
        }
        RefProblem::MissingData(_) => return None,
    };
    Some(d.subject(holder.address.clone()))
}

/// `queue_id = "Support"`: a literal where an id goes that cannot be one. When an object of
/// the type has that name, the help names the reference to write instead.
fn not_an_id(
    model: &Model,
    meta: &'static RuleMeta,
    idref: IdRefView<'_>,
    text: &str,
    span: Span,
) -> Diagnostic {
    let expected = idref.expected;
    let noun = types::noun(expected);
    let a_noun = types::a(noun);
    let holder = model.obj(idref.subject);
    let d = Diagnostic::at(meta, format!("`{text}` is not {a_noun} id"), span).label(format!(
        "`{}` of `{}` takes the id of {a_noun} (a GUID), not its name",
        idref.attr, holder.address
    ));
    let Some(&named) = model.named(expected, text).first() else {
        if expected == types::DIVISION {
            // Most often `Home`: the provider has a data source for it alone. Only a client's
            // role and a wrap-up code can be in every division; a queue is in one.
            let every = match holder.rtype.as_str() {
                types::OAUTH_CLIENT => "use `\"*\"` for every division, ",
                types::WRAPUP_CODE => "leave `division_id` unset for every division, or use ",
                _ => "use ",
            };
            return d.help(format!(
                "{every}`data.genesyscloud_auth_division_home.<label>.id` for the home division, \
                 or a `genesyscloud_auth_division` resource's or data source's `.id`"
            ));
        }
        return d.help(format!(
            "refer to a `{expected}` resource's `.id`, or look the {noun} up by name with a \
             `data \"{expected}\"` block and use its `.id`"
        ));
    };
    if model.obj(named).is_managed() {
        let (loc, defined) = defined_here(model, named);
        d.related(loc, defined).help(format!(
            "use {}",
            reference_text(model, named, Some(idref.subject))
        ))
    } else {
        d.help(format!(
            "look the {noun} up by name with a `data \"{expected}\"` block (`name = \"{text}\"`) \
             and use its `.id`"
        ))
    }
}

/// Which state inputs listed objects of a type (the evidence behind an "does not exist").
/// How a missing object is missing: it exists now when the plan being checked destroys it.
fn missing_words(destroyed: bool) -> &'static str {
    if destroyed {
        "is destroyed by the plan"
    } else {
        "does not exist in the org"
    }
}

/// When a loaded plan destroys the object of `rtype` with this name or (`by_id`) id: the note
/// saying so (the object exists now, which is what a reader checks first) and the help.
fn destroyed_by_plan(
    model: &Model,
    rtype: &str,
    key: &str,
    by_id: bool,
) -> Option<(String, String)> {
    let (input, d) = model.deleted_by_plan(rtype, key, by_id)?;
    let plan = model.state_inputs.get(*input)?;
    Some((
        format!("`{}` destroys `{}`", plan.path.display(), d.address),
        format!(
            "keep `{}`; to stop managing it without destroying it, use a `removed` block with `lifecycle {{ destroy = false }}`",
            d.address
        ),
    ))
}

pub fn state_note(model: &Model, rtype: &str) -> String {
    // Each `--state` path once: an export directory's configuration and `terraform.tfstate`
    // are two inputs of one path, named by the directory (the shorter of their paths).
    let mut given: Vec<(usize, &std::path::Path)> = Vec::new();
    for s in (model.state_inputs.iter()).filter(|s| s.types.iter().any(|t| t == rtype)) {
        match given.iter_mut().find(|(g, _)| *g == s.given) {
            Some((_, path)) if s.path.as_os_str().len() < path.as_os_str().len() => *path = &s.path,
            Some(_) => {}
            None => given.push((s.given, &s.path)),
        }
    }
    let inputs: Vec<String> = (given.iter())
        .map(|(_, p)| format!("`{}`", p.display()))
        .collect();
    if inputs.is_empty() {
        format!(
            "no {} by that name or id in the configuration",
            types::noun(rtype)
        )
    } else {
        format!(
            "checked against the configuration and {}",
            inputs.join(", ")
        )
    }
}

/// A related label pointing at an object's definition.
pub fn defined_here(model: &Model, o: ObjId) -> (Location, String) {
    let obj = model.obj(o);
    (
        obj.location(),
        format!(
            "{} `{}` is defined here",
            types::noun(&obj.rtype),
            obj.display()
        ),
    )
}

/// How to refer to an object in a help text: its address when managed, else its id or name.
/// `from` is the object whose configuration the reference goes into: in the same module
/// instance the address is written without the module path (as it must be there); from another
/// module the address is shown as the object's full address, which names it but cannot be
/// written there (the value must come through the module's outputs and inputs).
pub fn reference_text(model: &Model, o: ObjId, from: Option<ObjId>) -> String {
    let obj = model.obj(o);
    if obj.is_managed() {
        let (module, local) = split_module_path(&obj.address);
        let here = from.map(|f| split_module_path(&model.obj(f).address).0);
        match here {
            None => format!("`{}.id`", obj.address),
            Some(here) if here == module => format!("`{local}.id`"),
            Some(_) => format!(
                "{} `{}` (`{}`, passed through module variables and outputs)",
                types::noun(&obj.rtype),
                obj.display(),
                obj.address
            ),
        }
    } else if let Some(id) = &obj.id {
        format!("`{id}` ({})", obj.display())
    } else {
        format!("`{}`", obj.display())
    }
}

/// An address split into its module path (`module.a["k"].module.b.`, empty in the root module)
/// and the rest (`type.name[key]`).
pub fn split_module_path(address: &str) -> (&str, &str) {
    let mut at = 0;
    while let Some(rest) = address[at..].strip_prefix("module.") {
        let b = rest.as_bytes();
        let mut i = 0;
        // The call's name, then any instance key (`["a.b"]` may hold dots and brackets).
        while i < b.len() && b[i] != b'.' && b[i] != b'[' {
            i += 1;
        }
        if b.get(i) == Some(&b'[') {
            let mut in_string = false;
            while i < b.len() {
                match b[i] {
                    b'\\' if in_string => i += 1,
                    b'"' => in_string = !in_string,
                    b']' if !in_string => break,
                    _ => {}
                }
                i += 1;
            }
            i += 1;
        }
        if b.get(i) != Some(&b'.') {
            break;
        }
        at += "module.".len() + i + 1;
    }
    address.split_at(at)
}

/// The span of a body key found by the catalog (`range` is a byte range in the body's value text).
/// Exact when the value is written verbatim in the source (heredoc, plain string); otherwise the
/// quoted key's first occurrence inside the attribute; otherwise the whole attribute value.
pub fn body_key_span(
    sources: &crate::source::SourceMap,
    value_span: Span,
    body: &str,
    range: std::ops::Range<usize>,
) -> Span {
    // Read for this search only, not kept: the texts this rule read stayed in memory to the
    // end of the run (485 KiB at 10 MB, through the rules and the report, the run's last peak).
    let text = sources.try_get(value_span.file).map(|f| f.transient_text());
    let src = (text.as_deref())
        .and_then(|t| t.get(value_span.range()))
        .unwrap_or("");
    if let Some(pos) = src.find(body) {
        return value_span.sub(pos + range.start, range.len());
    }
    if let Some(key) = body.get(range.clone()) {
        if let Some(pos) = src.find(key) {
            return value_span.sub(pos, key.len());
        }
        // Inside an escaped string (`"{\"wrapupCode\": ...}"`) the quotes differ: find the bare key.
        let bare = key.trim_matches('"');
        if !bare.is_empty() && src.matches(bare).count() == 1 {
            if let Some(pos) = src.find(bare) {
                return value_span.sub(pos, bare.len());
            }
        }
    }
    value_span
}

/// Is this an OAuth client of the client-credentials grant?
pub fn is_client_credentials(model: &Model, client: ObjId) -> Option<bool> {
    let (v, _) = model.obj(client).attr("authorized_grant_type")?;
    let g = v.as_str()?;
    Some(
        g.eq_ignore_ascii_case("CLIENT-CREDENTIALS")
            || g.eq_ignore_ascii_case("CLIENT_CREDENTIALS"),
    )
}

/// The catalog's verdict on a script's HTTP call. With no method known, only the path is judged:
/// a path that exists with some method is fine.
pub fn script_http_problems(method: Option<&str>, url: &str) -> Vec<crate::catalog::ApiProblem> {
    let problems = crate::catalog::check_request(method.unwrap_or("GET"), url, None);
    match method {
        Some(_) => problems,
        None => problems
            .into_iter()
            .filter(|p| !matches!(p, crate::catalog::ApiProblem::MethodNotAllowed { .. }))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::split_module_path;

    #[test]
    fn module_paths_split_off_whatever_their_keys_hold() {
        let cases = [
            ("genesyscloud_routing_queue.q", ""),
            ("module.a.genesyscloud_routing_queue.q", "module.a."),
            (
                r#"module.a["x.y]"].module.b[0].genesyscloud_routing_queue.q["k"]"#,
                r#"module.a["x.y]"].module.b[0]."#,
            ),
            (
                r#"module.a["say \"hi]\""].t.n"#,
                r#"module.a["say \"hi]\""]."#,
            ),
        ];
        for (address, module) in cases {
            let (m, rest) = split_module_path(address);
            assert_eq!((m, format!("{m}{rest}")), (module, address.to_owned()));
        }
    }
}

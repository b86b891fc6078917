//! `invalid-json-template`: a data action's request body or success template that is not JSON
//! once Genesys Cloud has filled in its Velocity references.

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::types;
use crate::value::Val;
use crate::velocity::{
    bare_request_names, bare_success_names, has_directive, json_template_error, strict_json,
    unquoted_names,
};
use std::ops::Range;

crate::declare_rule! {
    /// ## What it does
    /// Checks that a data action's `request_template` and `success_template` are JSON once their
    /// Velocity references are filled in: each reference (`${input.queueId}`, `$!{x}`,
    /// `$input.items[0].id`) is taken as one value, and the text around it must be
    /// JSON as RFC 8259 has it (no missing or trailing commas, no single quotes, no unquoted
    /// names). A Terraform value not known before apply (`${var.flow_id}`, an argument of
    /// `format()`) is taken as one value the same way: the JSON around it is checked.
    ///
    /// An escape tool used as a value outside quotes (`{"note": $esc.jsonString($input.note)}`)
    /// is reported too: it escapes the text but does not quote it. So is a
    /// `translation_map_defaults` entry that is not JSON (`buildNumber = "UNKNOWN"`) for a name
    /// the success template puts in outside quotes (`"build": ${buildNumber}`): Genesys Cloud
    /// inserts a default as written, so the response is not JSON exactly when the default is
    /// used (write `"\"UNKNOWN\""`).
    ///
    /// Only templates meant to be JSON are read: those that start with `{` or `[`. A template
    /// with a Velocity directive (`#if`, `#foreach`, `#set`) or a request whose `Content-Type`
    /// header is not JSON is left alone, and so is an error at or right next to a reference,
    /// whose value may be what completes the JSON (`{"a": 1 ${input.more}}`).
    ///
    /// ## Why is this bad?
    /// Genesys Cloud sends the request body as the template renders it: the API behind it
    /// answers 400 to every call. A success template that is not JSON fails every run of the
    /// action with a transformation error, even when the request itself succeeded.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_integration_action" "start_flow" {
    ///   config_request {
    ///     request_type         = "POST"
    ///     request_url_template = "/api/v2/flows/executions"
    ///     request_template     = "{\"flowId\": \"$${input.flowId}\" \"inputData\": {}}"
    ///   }
    /// }
    /// ```
    /// Use instead: `"{\"flowId\": \"$${input.flowId}\", \"inputData\": {}}"` (the comma).
    InvalidJsonTemplate, "CX405", "invalid-json-template", Automation, Error
}

impl Rule for InvalidJsonTemplate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (_, action) in cx.model.of_type(types::DATA_ACTION) {
            let Some(config) = &action.config else {
                continue;
            };
            // Each template, with the Velocity names in braces `unresolved-reference` reports
            // (`{rawResult}` missing its `$`): an error there is that finding's, not this one's.
            let mut templates: Vec<(&str, &Val, Vec<Range<usize>>)> = Vec::new();
            for req in config.attrs.blocks("config_request") {
                if let Some(t) = req.get("request_template") {
                    if json_content(req.get("headers")) {
                        let bare = t.as_str().map(bare_request_names).unwrap_or_default();
                        templates.push(("request template", t, bare));
                    }
                }
            }
            for resp in config.attrs.blocks("config_response") {
                defaults_not_json(action, resp, out);
                if let Some(t) = resp.get("success_template") {
                    let map = resp.get("translation_map").and_then(Val::as_object);
                    let translated =
                        |name: &str| map.is_some_and(|m| m.iter().any(|(k, _)| k == name));
                    let bare = (t.as_str())
                        .map(|text| bare_success_names(text, translated))
                        .unwrap_or_default();
                    templates.push(("success template", t, bare));
                }
            }
            // No excerpt of the template in the message: a literal secret may stand next to the
            // error, and the snippet, which is masked, shows the template anyway.
            for (what, t, bare) in templates {
                // A template with Terraform values not known before apply is checked with each
                // of them taken as one value, as a Velocity reference is: the rest of the JSON
                // is wrong whatever they are.
                let (Some(span), Some((text, known))) = (t.span, cx.model.json_text(t)) else {
                    continue;
                };
                let bare = match (known, what) {
                    (false, "request template") => bare_request_names(text),
                    _ => bare,
                };
                let Some(err) = json_template_error(text) else {
                    continue;
                };
                if bare.iter().any(|r| r.contains(&err.offset)) {
                    continue;
                }
                // Columns in the text with stand-ins for its unknown parts would mislead.
                let at = match known {
                    true => format!("at line {}, column {}", err.line, err.column),
                    false => format!("at line {}", err.line),
                };
                let mut d = Diagnostic::at(
                    &Self::META,
                    format!(
                        "the {what} of data action `{}` is not JSON: {} {at}",
                        action.display(),
                        err.message,
                    ),
                    span,
                )
                .label(match known {
                    true => "not JSON once Velocity fills it in",
                    false => "not JSON, whatever Terraform fills in at apply",
                })
                .subject(action.address.clone())
                .help(err.help.clone().unwrap_or_else(|| {
                    "fix the JSON; each Velocity reference stands for one value here".into()
                }));
                if !known {
                    d = d.note("each part not known before apply is taken as one value, as a Velocity reference is");
                }
                out.push(d);
            }
        }
    }
}

/// A `translation_map_defaults` entry that is not JSON (`buildNumber = "UNKNOWN"`) for a name the
/// success template puts in outside quotes (`{"build": ${buildNumber}}`): Genesys Cloud inserts
/// a default as written, so the response is not JSON exactly when the default is used.
fn defaults_not_json(action: &Object, resp: &Val, out: &mut Vec<Diagnostic>) {
    let (Some(defaults), Some(success)) = (
        resp.get("translation_map_defaults")
            .and_then(Val::as_object),
        resp.get("success_template").and_then(Val::as_str),
    ) else {
        return;
    };
    if has_directive(success) {
        return;
    }
    // Read once for all the defaults.
    let unquoted = unquoted_names(success);
    for (name, v) in defaults.iter() {
        let (Some(default), Some(span)) = (v.as_str(), v.span) else {
            continue;
        };
        let parses = jsonc_parser::parse_to_ast(default, &Default::default(), &strict_json())
            .is_ok_and(|p| p.value.is_some());
        if parses || !unquoted.contains(&name.as_str()) {
            continue;
        }
        out.push(
            Diagnostic::at(
                &InvalidJsonTemplate::META,
                format!(
                    "the default of `{name}` in data action `{}` is not JSON, and the success \
                     template puts it in outside quotes",
                    action.display()
                ),
                span,
            )
            .label("inserted as written when the translation map finds nothing")
            .subject(action.address.clone())
            .help(format!(
                "write the default as JSON: `{}` in Terraform",
                hcl_quoted(&json_string(default))
            )),
        );
    }
}

/// `text` as a JSON string.
fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// `text` as an HCL string literal.
fn hcl_quoted(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("${", "$${");
    format!("\"{escaped}\"")
}

/// Whether a request's `headers` leave its body JSON: no `Content-Type`, or a JSON one.
fn json_content(headers: Option<&Val>) -> bool {
    let Some(headers) = headers.and_then(Val::as_object) else {
        return true;
    };
    headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .all(|(_, v)| {
            v.as_str()
                .is_none_or(|t| t.to_ascii_lowercase().contains("json"))
        })
}

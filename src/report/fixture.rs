//! The one fixture set every format's snapshot test renders (as ruff's `message/snapshots` do):
//! three small files and findings that exercise every rendering path (same-file and cross-file
//! related labels, help and notes, a multi-line span, an org-located finding, and a message full
//! of characters each format must escape).

use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Location, OrgObject, Severity};
use crate::rules::{Category, RuleMeta};
use crate::source::{FileId, SourceMap, Span};

use super::ReportContext;

pub static WRAPUP_NOT_ASSIGNED: RuleMeta = RuleMeta {
    code: "CX101",
    name: "wrapup-code-not-assigned",
    category: Category::References,
    default: Severity::Error,
    docs: "## What it does\nChecks that every wrap-up code a flow sets is assigned to the queue.\n\n\
           ## Why is this bad?\nAgents cannot select it.\n\n## Example\n```hcl\n```\nUse instead: assign it.\n",
};

pub static MANDATORY_WITHOUT_CODES: RuleMeta = RuleMeta {
    code: "CX106",
    name: "mandatory-wrapup-without-codes",
    category: Category::References,
    default: Severity::Warning,
    docs: "## What it does\nChecks that a queue with mandatory wrap-up has codes.\n",
};

pub static UNASSIGNED_WRAPUP: RuleMeta = RuleMeta {
    code: "CX107",
    name: "unassigned-wrapup-code",
    category: Category::References,
    default: Severity::Info,
    docs: "## What it does\nChecks that every wrap-up code is assigned to some queue.\n",
};

pub static UNKNOWN_QUEUE: RuleMeta = RuleMeta {
    code: "CX103",
    name: "unknown-queue",
    category: Category::References,
    default: Severity::Error,
    docs: "## What it does\nChecks that every referenced queue exists.\n",
};

/// Every rule of the fixture, in code order, plus one no finding uses (SARIF lists it anyway).
pub static RULES: [&RuleMeta; 5] = [
    &WRAPUP_NOT_ASSIGNED,
    &UNKNOWN_QUEUE,
    &MANDATORY_WITHOUT_CODES,
    &UNASSIGNED_WRAPUP,
    &crate::rules::parse_error::ParseError::META,
];

pub const QUEUES_TF: &str = r#"resource "genesyscloud_routing_queue" "support" {
  name         = "Support"
  wrapup_codes = [genesyscloud_routing_wrapupcode.resolved.id]
}

resource "genesyscloud_routing_queue" "sales" {
  name = "Sales"
  enable_mandatory_wrapup = true
}
"#;

pub const CODES_TF: &str = r#"resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_routing_wrapupcode" "escalated" {
  name = "Escalated"
}
"#;

pub const FLOW_TF: &str = "resource \"genesyscloud_flow\" \"inbound\" {\n  filepath = \"flows/inbound.yaml\"\n  substitutions = {\n    code  = genesyscloud_routing_wrapupcode.escalated.id\n    queue = \"Support\"\n  }\n}\n";

/// The fixture files and findings, in the order reporters receive them.
pub fn fixture() -> (SourceMap, Vec<Diagnostic>) {
    fixture_with("")
}

/// The fixture with two blank lines inserted at the top of every file: every finding moves.
pub fn fixture_shifted() -> (SourceMap, Vec<Diagnostic>) {
    fixture_with("\n\n")
}

fn fixture_with(prefix: &str) -> (SourceMap, Vec<Diagnostic>) {
    let queues_tf = format!("{prefix}{QUEUES_TF}");
    let codes_tf = format!("{prefix}{CODES_TF}");
    let flow_tf = format!("{prefix}{FLOW_TF}");
    let mut sources = SourceMap::new();
    let queues = sources.add("queues.tf".into(), Arc::from(queues_tf.as_str()));
    let codes = sources.add("codes.tf".into(), Arc::from(codes_tf.as_str()));
    let flow = sources.add("flows/inbound flow.tf".into(), Arc::from(flow_tf.as_str()));

    let at = |file: FileId, text: &str, needle: &str| -> Span {
        let start = text.find(needle).expect("fixture needle exists");
        Span::new(file, start..start + needle.len())
    };

    let mut diags = vec![
        // An error with a related label in the same file and one in another file.
        Diagnostic::at(
            &WRAPUP_NOT_ASSIGNED,
            "wrap-up code `Escalated` is not assigned to queue `Support`",
            at(
                flow,
                &flow_tf,
                "genesyscloud_routing_wrapupcode.escalated.id",
            ),
        )
        .label("the flow sets this code")
        .related_span(at(flow, &flow_tf, "\"Support\""), "for calls to this queue")
        .related_span(
            at(queues, &queues_tf, "wrapup_codes"),
            "queue `Support` assigns these codes",
        )
        .help("add `genesyscloud_routing_wrapupcode.escalated.id` to the queue's `wrapup_codes`")
        .subject("genesyscloud_flow.inbound"),
        // A warning over a multi-line span, with a related label in another file.
        Diagnostic::at(
            &MANDATORY_WITHOUT_CODES,
            "queue `Sales` requires a wrap-up code but assigns none",
            at(
                queues,
                &queues_tf,
                "resource \"genesyscloud_routing_queue\" \"sales\" {\n  name = \"Sales\"",
            ),
        )
        .label("mandatory wrap-up is enabled here")
        .related_span(
            at(codes, &codes_tf, "\"Resolved\""),
            "an unassigned code that could be used",
        )
        .subject("genesyscloud_routing_queue.sales"),
        // An info with help and a note.
        Diagnostic::at(
            &UNASSIGNED_WRAPUP,
            "wrap-up code `Escalated` is not assigned to any queue",
            at(codes, &codes_tf, "\"Escalated\""),
        )
        .help("assign it to a queue or remove it")
        .note("agents only see codes assigned to their queue")
        .subject("genesyscloud_routing_wrapupcode.escalated"),
        // A message needing escaping in every format.
        Diagnostic::at(
            &UNKNOWN_QUEUE,
            "queue `50%, a:b` <not> & \"quoted\"\nsecond line",
            at(flow, &flow_tf, "queue = \"Support\""),
        )
        .severity(Severity::Warning)
        .help("use `a<b>` & 100%")
        .subject("genesyscloud_flow.inbound"),
        // A finding about an org object known only from live state.
        Diagnostic::new(
            &UNASSIGNED_WRAPUP,
            "wrap-up code `Legacy` is not assigned to any queue",
            Location::Org(OrgObject {
                kind: "wrapup-code".into(),
                id: "6b3f1c2e-0000-4000-8000-000000000001".into(),
                name: Some("Legacy".into()),
            }),
        )
        .related(
            Location::Org(OrgObject {
                kind: "queue".into(),
                id: "q-7".into(),
                name: None,
            }),
            "the queue it was last assigned to",
        )
        .note("from the org snapshot"),
    ];
    crate::diagnostic::sort_and_dedup(&mut diags);
    (sources, diags)
}

/// The context the snapshots are rendered with.
pub fn context(sources: &SourceMap) -> ReportContext<'_> {
    ReportContext {
        sources,
        files_checked: 3,
        rules: &RULES,
        color: false,
        // Fixed, so snapshots do not change with every release.
        tool_version: "0.0.0-test",
        quiet: false,
        incomplete: false,
    }
}

/// Render `diags` with `format` into a string.
pub fn render(format: super::Format, sources: &SourceMap, diags: &[Diagnostic]) -> String {
    let mut out = Vec::new();
    format
        .reporter()
        .report(&mut out, diags, &context(sources))
        .expect("writing to a Vec");
    String::from_utf8(out).expect("reports are UTF-8")
}

/// Spans no rule should produce, but which must never make a reporter panic: past the end of
/// the file, inside a multi-byte character, reversed, into a file the map lacks, and an org
/// object with odd characters.
pub fn hostile() -> (crate::source::SourceMap, Vec<Diagnostic>) {
    let (mut sources, mut diags) = fixture();
    let empty = sources.add("empty.tf".into(), std::sync::Arc::from(""));
    let utf8 = sources.add("ü.tf".into(), std::sync::Arc::from("ü = \"é\"\r\n"));
    let spans = [
        Span {
            file: empty,
            start: 0,
            end: 0,
        },
        Span {
            file: empty,
            start: 3,
            end: 900,
        },
        Span {
            file: utf8,
            start: 1,
            end: 2,
        },
        Span {
            file: utf8,
            start: 9,
            end: 4,
        },
        Span {
            file: utf8,
            start: u32::MAX - 1,
            end: u32::MAX,
        },
        Span {
            file: FileId(4242),
            start: 0,
            end: 10,
        },
    ];
    for span in spans {
        diags.push(
            Diagnostic::at(&UNKNOWN_QUEUE, "hostile ]]> --> %0A ::", span)
                .related_span(span, "related ]]>")
                .help("\u{0}\u{7}"),
        );
    }
    diags.push(Diagnostic::new(
        &UNKNOWN_QUEUE,
        "",
        Location::Org(OrgObject {
            kind: "a,b:c".into(),
            id: "<&>".into(),
            name: Some("\n".into()),
        }),
    ));
    (sources, diags)
}

//! Tests for the flow loader, on the fixtures in `testdata/flows/` and on hostile input.

use std::time::{Duration, Instant};

use super::*;

const F: FileId = FileId(3);
const TF: FileId = FileId(7);

fn fixture(name: &str) -> String {
    let path = format!("{}/testdata/flows/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Substitutions with made-up `.tf` spans (`i*100 .. i*100+10`) so tests can tell them apart.
fn subs(pairs: &[(&str, Option<&str>)]) -> Vec<(String, SubValue)> {
    pairs
        .iter()
        .enumerate()
        .map(|(i, (k, v))| {
            let span = Span::new(TF, i * 100..i * 100 + 10);
            let v = v.map_or(SubValue::unknown(span), |v| SubValue::known(v, span));
            (k.to_string(), v)
        })
        .collect()
}

fn slice(text: &str, span: Span) -> &str {
    assert_eq!(span.file, F);
    &text[span.range()]
}

fn lit(name: &str) -> FlowValue {
    FlowValue::Literal {
        name: name.to_string(),
    }
}

#[test]
fn inbound_call_menus_tasks_and_wrapup() {
    let text = fixture("inbound_call.yaml");
    let s = subs(&[
        ("flow_name", Some("Support Line")),
        ("support_queue", Some("Support")),
    ]);
    let doc = parse_flow(F, &text, &s).expect("parses");
    assert_eq!(doc.flow_type, "inboundCall");
    assert!(!doc.is_in_queue());
    assert_eq!(slice(&text, doc.flow_type_span), "inboundCall");
    let (name, name_span) = doc.name.clone().expect("name");
    assert_eq!(name, "Support Line");
    assert_eq!(slice(&text, name_span), "{{flow_name}}");

    let queues: Vec<_> = doc
        .refs
        .iter()
        .filter(|r| r.kind == RefKind::Queue)
        .collect();
    assert_eq!(queues.len(), 3, "{queues:#?}");

    // The menu choice: its name came from a substitution; the span is the placeholder.
    let menu = queues[0];
    assert_eq!(menu.role, RefRole::MenuTransferToAcd);
    assert_eq!(menu.value, lit("Support"));
    assert_eq!(menu.from_substitution, Some(1));
    assert_eq!(slice(&text, menu.span), "{{support_queue}}");
    assert_eq!(menu.scope.as_deref(), Some("menu[Main Menu_10]"));
    assert_eq!(
        menu.path,
        "inboundCall/menus/0/menu/choices/0/menuTransferToAcd/targetQueue"
    );
    assert_eq!(menu.action.as_deref(), Some("menuTransferToAcd"));

    // Inside a decision output: a dynamic target (`var:`), spanning the expression.
    let vip = queues[1];
    assert_eq!(vip.role, RefRole::TransferToAcd);
    assert_eq!(
        vip.value,
        FlowValue::Dynamic {
            expr: "Flow.VipQueue".into()
        }
    );
    assert_eq!(slice(&text, vip.span), "Flow.VipQueue");
    assert_eq!(vip.scope.as_deref(), Some("task[Billing_11]"));

    let billing = queues[2];
    assert_eq!(billing.role, RefRole::TransferToAcd);
    assert_eq!(billing.value, lit("Billing"));
    assert_eq!(slice(&text, billing.span), "Billing");
    assert_eq!(billing.from_substitution, None);

    // setWrapupCode comes before the transfer in the same task.
    let code = doc
        .refs
        .iter()
        .find(|r| r.role == RefRole::SetWrapupCode)
        .expect("setWrapupCode");
    assert_eq!(code.kind, RefKind::WrapupCode);
    assert_eq!(code.value, lit("Billing Enquiry"));
    assert_eq!(slice(&text, code.span), "Billing Enquiry");
    assert_eq!(code.scope, billing.scope);
    assert!(code.order < billing.order);
    let after: Vec<&FlowValue> = doc.transfers_after(code).map(|t| &t.value).collect();
    assert_eq!(
        after,
        vec![&vip.value, &billing.value],
        "the menu transfer comes before"
    );

    // Skills are recorded as another kind; numbers and settings are not references.
    let skill = doc
        .refs
        .iter()
        .find(|r| r.kind == RefKind::Other("skill".into()))
        .expect("skill");
    assert_eq!(skill.value, lit("Spanish"));
    assert_eq!(slice(&text, skill.span), "Spanish");
    assert_eq!(doc.refs.len(), 5, "{:#?}", doc.refs);
    let orders: Vec<u32> = doc.refs.iter().map(|r| r.order).collect();
    assert_eq!(orders, vec![0, 1, 2, 3, 4]);

    assert!(doc.missing_placeholders.is_empty());
    assert!(doc.unused_subs.is_empty());
    assert!(doc.dollar_mistakes.is_empty());
}

#[test]
fn every_span_slices_to_its_value() {
    for f in [
        "inbound_call.yaml",
        "inqueue_call.yaml",
        "outbound_call.yaml",
        "workflow.yaml",
    ] {
        let text = fixture(f);
        let doc = parse_flow(F, &text, &[]).unwrap_or_else(|e| panic!("{f}: {e:?}"));
        for r in &doc.refs {
            let got = slice(&text, r.span);
            match &r.value {
                FlowValue::Literal { name } => assert_eq!(got, name, "{f}: {r:?}"),
                FlowValue::Dynamic { expr } => assert_eq!(got, expr, "{f}: {r:?}"),
                FlowValue::Unknown { text } => assert_eq!(got, text, "{f}: {r:?}"),
            }
        }
    }
}

#[test]
fn in_queue_flow() {
    let text = fixture("inqueue_call.yaml");
    let doc = parse_flow(F, &text, &[]).expect("parses");
    assert!(doc.is_in_queue());
    assert_eq!(
        doc.name.as_ref().map(|n| n.0.as_str()),
        Some("Support In-Queue")
    );
    let code = doc
        .refs
        .iter()
        .find(|r| r.role == RefRole::SetWrapupCode)
        .expect("code");
    assert_eq!(code.value, lit("Long Wait"));
    let prompts: Vec<_> = doc
        .refs
        .iter()
        .filter(|r| r.kind == RefKind::Other("prompt".into()))
        .collect();
    assert_eq!(prompts.len(), 2, "{prompts:#?}");
    assert_eq!(prompts[0].value, lit("PromptSystem.on_hold_music"));
    assert!(
        prompts[0].scope.is_none(),
        "flow-level settings have no scope"
    );
    assert!(matches!(prompts[1].value, FlowValue::Dynamic { .. }));
}

#[test]
fn outbound_default_wrapup_from_substitution() {
    let text = fixture("outbound_call.yaml");
    let s = subs(&[
        ("flow_name", Some("Courtesy Calls")),
        ("home_division_name", Some("Home")),
        ("contact_list_name", Some("Customers")),
        ("wrapup_code_name", Some("Callback Done")),
        ("queue_name", Some("Outbound")),
        ("never_used", Some("x")),
    ]);
    let doc = parse_flow(F, &text, &s).expect("parses");
    let code = doc
        .refs
        .iter()
        .find(|r| r.role == RefRole::OutboundDefaultWrapup)
        .expect("code");
    assert_eq!(code.kind, RefKind::WrapupCode);
    assert_eq!(code.value, lit("Callback Done"));
    assert_eq!(code.from_substitution, Some(3));
    assert_eq!(slice(&text, code.span), "{{wrapup_code_name}}");
    assert_eq!(
        s[3].1.span,
        Span::new(TF, 300..310),
        "the .tf span is reachable"
    );
    let list = doc
        .refs
        .iter()
        .find(|r| r.kind == RefKind::Other("contactList".into()));
    assert_eq!(list.map(|r| r.value.clone()), Some(lit("Customers")));

    // `${queue_name}` is not substituted: the literal keeps it, and it is reported.
    let q = doc
        .refs
        .iter()
        .find(|r| r.kind == RefKind::Queue)
        .expect("queue");
    assert_eq!(q.value, lit("Outbound ${queue_name}"));
    assert_eq!(doc.dollar_mistakes.len(), 1);
    assert_eq!(doc.dollar_mistakes[0].sub, 4);
    assert_eq!(slice(&text, doc.dollar_mistakes[0].span), "${queue_name}");
    // `queue_name` is used only through `${...}`, so it is unused too, as is `never_used`.
    assert_eq!(doc.unused_subs, vec![4, 5]);
}

#[test]
fn missing_substitutions_are_located() {
    let text = fixture("outbound_call.yaml");
    let s = subs(&[("flow_name", Some("x")), ("Wrapup_Code_Name", Some("y"))]);
    let doc = parse_flow(F, &text, &s).expect("parses");
    let missing: Vec<(&str, &str, Option<usize>)> = doc
        .missing_placeholders
        .iter()
        .map(|m| (m.name.as_str(), slice(&text, m.span), m.likely))
        .collect();
    assert_eq!(
        missing,
        vec![
            ("home_division_name", "{{home_division_name}}", None),
            ("contact_list_name", "{{contact_list_name}}", None),
            ("wrapup_code_name", "{{wrapup_code_name}}", Some(1)),
        ]
    );
    assert_eq!(doc.unused_subs, vec![1]);
    // A code named by an unreplaced placeholder is not a reference to check: the missing
    // placeholder is the finding, not a code literally named `{{wrapup_code_name}}`.
    assert!(
        (doc.refs.iter()).all(|r| r.role != RefRole::OutboundDefaultWrapup),
        "{:?}",
        doc.refs
    );
}

#[test]
fn unknown_substitution_values_are_not_literals() {
    let text = fixture("inbound_call.yaml");
    let s = subs(&[("flow_name", None), ("support_queue", None)]);
    let doc = parse_flow(F, &text, &s).expect("parses");
    let menu = doc
        .refs
        .iter()
        .find(|r| r.role == RefRole::MenuTransferToAcd)
        .expect("menu");
    assert_eq!(
        menu.value,
        FlowValue::Unknown {
            text: "{{support_queue}}".into()
        }
    );
    assert_eq!(menu.from_substitution, Some(1));
    assert_eq!(slice(&text, menu.span), "{{support_queue}}");
    assert_eq!(doc.name.map(|n| n.0), Some("{{flow_name}}".to_string()));
}

#[test]
fn partly_substituted_names_span_the_whole_text() {
    let text = "inboundCall:\n  name: F\n  tasks:\n    - task:\n        name: T\n        actions:\n          - transferToAcd:\n              targetQueue:\n                lit:\n                  name: \"{{region}} Support\"\n";
    let s = subs(&[("region", Some("EMEA"))]);
    let doc = parse_flow(F, text, &s).expect("parses");
    assert_eq!(doc.refs[0].value, lit("EMEA Support"));
    assert_eq!(slice(text, doc.refs[0].span), "{{region}} Support");
    assert_eq!(doc.refs[0].from_substitution, Some(0));
    assert_eq!(doc.refs[0].scope.as_deref(), Some("task[T]"));
}

#[test]
fn plain_lit_strings_and_variants() {
    let text = "inqueueCall:\n  name: Q\n  tasks:\n    - task:\n        refId: t1\n        actions:\n          - setWrapupCode:\n              wrapUpCode:\n                lit: Resolved\n          - setWrapupCode:\n              code:\n                exp: Flow.Code\n          - transferToAcd:\n              targetQueue: {lit: 'Tier 2'}\n";
    let doc = parse_flow(F, text, &[]).expect("parses");
    let got: Vec<(RefRole, FlowValue, &str)> = doc
        .refs
        .iter()
        .map(|r| (r.role.clone(), r.value.clone(), slice(text, r.span)))
        .collect();
    assert_eq!(
        got,
        vec![
            (RefRole::SetWrapupCode, lit("Resolved"), "Resolved"),
            (
                RefRole::SetWrapupCode,
                FlowValue::Dynamic {
                    expr: "Flow.Code".into()
                },
                "Flow.Code"
            ),
            (RefRole::TransferToAcd, lit("Tier 2"), "Tier 2"),
        ]
    );
}

#[test]
fn workflow_has_no_refs() {
    let text = fixture("workflow.yaml");
    let doc = parse_flow(F, &text, &[]).expect("parses");
    assert_eq!(doc.flow_type, "workflow");
    assert!(doc.refs.is_empty(), "{:#?}", doc.refs);
}

#[test]
fn invalid_yaml_is_located_in_the_original_file() {
    let text = fixture("invalid.yaml");
    let err = parse_flow(F, &text, &[]).expect_err("invalid");
    assert!(err.message.starts_with("invalid YAML: "), "{}", err.message);
    assert_eq!(err.span.file, F);
    // The unterminated quote starts on line 5; the parser stops at or after it.
    let quote = text.find("\"unterminated").unwrap_or(0);
    assert!(err.span.start as usize >= quote, "{err:?}");
    assert!(err.span.start as usize <= text.len());
}

#[test]
fn error_offsets_map_through_substitutions() {
    // The substituted value is long; the error after it must still point into the original.
    let text = "inboundCall:\n  name: \"{{n}}\"\n  bad: [\n";
    let s = subs(&[("n", Some("a much longer flow name than the placeholder"))]);
    let err = parse_flow(F, text, &s).expect_err("invalid");
    assert!((err.span.start as usize) <= text.len(), "{err:?}");
    assert!(
        (err.span.start as usize) >= text.find("bad").unwrap_or(0),
        "{err:?}"
    );
}

/// Valid as written, broken once a value with YAML syntax in it fills an unquoted placeholder:
/// the message says so, names the placeholder and how to fix it; a value that keeps it valid,
/// or a file broken as written, gets the plain message.
#[test]
fn yaml_broken_by_a_substitution_says_so() {
    let text = "inboundCall:\n  name: {{flow_name}}\n  defaultLanguage: en-us\n";
    let err = parse_flow(F, text, &subs(&[("flow_name", Some("Sales: EMEA"))]))
        .expect_err("invalid once filled in");
    assert!(
        err.message.starts_with(
            "invalid YAML once the substitutions are filled in (`{{flow_name}}` on this line): "
        ),
        "{}",
        err.message
    );
    assert!(
        err.message.contains("quote the placeholder"),
        "{}",
        err.message
    );
    assert_eq!(&text[..err.span.start as usize].lines().count(), &2);
    parse_flow(F, text, &subs(&[("flow_name", Some("Sales"))])).expect("valid");
    let broken = "inboundCall:\n  name: \"{{flow_name}}\"\n  bad: [\n";
    let err = parse_flow(F, broken, &subs(&[("flow_name", Some("Sales: EMEA"))]))
        .expect_err("invalid as written");
    assert!(err.message.starts_with("invalid YAML: "), "{}", err.message);
}

#[test]
fn valid_yaml_that_is_not_a_flow() {
    let text = fixture("not_a_flow.yaml");
    let err = parse_flow(F, &text, &[]).expect_err("not a flow");
    assert!(
        err.message.contains("not an Archy flow: `services`"),
        "{}",
        err.message
    );
    assert_eq!(slice(&text, err.span), "services");

    for (src, needle) in [
        ("- a\n- b\n", "top level is a sequence"),
        ("just text\n", "top level is a scalar"),
        (
            "inboundCall:\n  name: a\noutboundCall:\n  name: b\n",
            "found 2",
        ),
        ("inboundCall: hello\n", "must hold a mapping"),
        ("", "no YAML document"),
    ] {
        let err = parse_flow(F, src, &[]).expect_err(src);
        assert!(err.message.contains(needle), "{src:?}: {}", err.message);
    }
}

#[test]
fn hostile_deep_nesting_is_rejected() {
    for deep in [
        format!("inboundCall:\n  x: {}", "[".repeat(100_000)),
        format!("inboundCall:\n  x: {}", "{a: ".repeat(10_000)),
        {
            let mut s = String::from("inboundCall:\n");
            for i in 0..200 {
                s.push_str(&" ".repeat(2 * (i + 1)));
                s.push_str("k:\n");
            }
            s
        },
    ] {
        let t = Instant::now();
        let err = parse_flow(F, &deep, &[]).expect_err("too deep");
        // Our own limit, or the scanner's (it counts flow levels while scanning ahead).
        let m = &err.message;
        assert!(
            m.contains("nesting deeper than 128") || m.contains("recursion limit"),
            "{m}"
        );
        assert!(t.elapsed() < Duration::from_secs(2));
    }
}

#[test]
fn alias_bombs_are_not_expanded() {
    let mut text = String::from(
        "inboundCall:\n  name: x\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        let items = [prev.as_str(); 9].join(", ");
        text.push_str(&format!("  a{i}: &a{i} [{items}]\n"));
    }
    text.push_str("  targetQueue: *a9\n");
    let t = Instant::now();
    let doc = parse_flow(F, &text, &[]).expect("parses");
    assert!(t.elapsed() < Duration::from_secs(2));
    // The alias is opaque: no reference is invented from it.
    assert!(doc.refs.is_empty());
}

#[test]
fn nul_bytes_are_rejected() {
    let text = "inboundCall:\n  name: a\0b\n";
    let err = parse_flow(F, text, &[]).expect_err("nul");
    assert!(err.message.contains("NUL"), "{}", err.message);
    assert_eq!(err.span.start as usize, text.find('\0').unwrap_or(0));

    // A NUL brought in by a substitution value is located at its placeholder.
    let text = "inboundCall:\n  name: \"{{n}}\"\n";
    let err = parse_flow(F, text, &subs(&[("n", Some("a\0b"))])).expect_err("nul");
    assert_eq!(slice(text, err.span), "{{n}}");
}

#[test]
fn oversized_files_are_rejected_without_parsing() {
    let text = format!(
        "inboundCall:\n  name: x\n  d: \"{}\"\n",
        "a".repeat(MAX_FLOW_BYTES)
    );
    let err = parse_flow(F, &text, &[]).expect_err("too large");
    assert!(err.message.contains("too large"), "{}", err.message);
}

/// A thousand placeholders for a value of a megabyte would be a gigabyte of YAML: refused
/// before it is made, at the placeholder that takes it past the limit.
#[test]
fn files_too_large_once_substituted_are_rejected_without_substituting() {
    let text = format!(
        "inboundCall:\n  name: x\n  d: \"{}\"\n",
        "{{k}}".repeat(1000)
    );
    let value = "v".repeat(1 << 20);
    let err = parse_flow(F, &text, &subs(&[("k", Some(&value))])).expect_err("too large");
    assert!(
        err.message
            .contains("too large once the substitutions are filled in"),
        "{}",
        err.message
    );
    assert_eq!(err.label, Some(STOPPED_ONCE_SUBSTITUTED));
    assert_eq!(slice(&text, err.span), "{{k}}");
    // The 32nd value (plus the rest of the file) is the one past 32 MiB.
    let at = text.find("{{k}}").unwrap_or(0) + 31 * "{{k}}".len();
    assert_eq!(err.span.start as usize, at);
}

#[test]
fn large_flows_parse_quickly() {
    // ~4 MB of tasks: linear time, every reference found.
    let mut text = String::from("inboundCall:\n  name: Big\n  tasks:\n");
    let n = 20_000;
    for i in 0..n {
        text.push_str(&format!(
            "    - task:\n        name: T{i}\n        refId: T{i}_1\n        actions:\n          - setWrapupCode:\n              name: Code\n              wrapupCode:\n                lit:\n                  name: \"Code {i}\"\n          - transferToAcd:\n              name: Go\n              targetQueue:\n                lit:\n                  name: \"{{{{q}}}} {i}\"\n"
        ));
    }
    let s = subs(&[("q", Some("Queue"))]);
    let t = Instant::now();
    let doc = parse_flow(F, &text, &s).expect("parses");
    let elapsed = t.elapsed();
    assert_eq!(doc.refs.len(), 2 * n);
    assert_eq!(doc.refs[2 * n - 1].value, lit(&format!("Queue {}", n - 1)));
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
}

#[test]
fn hostile_brace_runs_stay_linear() {
    let mut text = String::from("inboundCall:\n  name: x\n  d: \"");
    text.push_str(&"{{".repeat(200_000));
    text.push_str(&"${".repeat(200_000));
    text.push_str("\"\n");
    let s = subs(&[("k", Some("v"))]);
    let t = Instant::now();
    let doc = parse_flow(F, &text, &s).expect("parses");
    assert!(t.elapsed() < Duration::from_secs(2));
    assert!(doc.missing_placeholders.is_empty());
}

#[test]
fn multibyte_text_keeps_byte_spans() {
    let text = "inboundCall:\n  name: \"Ünïcödé {{n}}\"\n  tasks:\n    - task:\n        name: Тест\n        actions:\n          - transferToAcd:\n              targetQueue:\n                lit:\n                  name: Очередь\n";
    let s = subs(&[("n", Some("名前"))]);
    let doc = parse_flow(F, text, &s).expect("parses");
    assert_eq!(
        doc.name.as_ref().map(|n| n.0.as_str()),
        Some("Ünïcödé 名前")
    );
    assert_eq!(slice(text, doc.refs[0].span), "Очередь");
    assert_eq!(doc.refs[0].scope.as_deref(), Some("task[Тест]"));
}

#[test]
fn bom_is_accepted() {
    let text = "\u{feff}inboundCall:\n  name: X\n";
    let doc = parse_flow(F, text, &[]).expect("parses");
    assert_eq!(doc.name.map(|n| n.0), Some("X".to_string()));
}

#[test]
fn crlf_line_endings_keep_spans() {
    let text = fixture("inbound_call.yaml").replace('\n', "\r\n");
    let s = subs(&[
        ("flow_name", Some("Support Line")),
        ("support_queue", Some("Support")),
    ]);
    let doc = parse_flow(F, &text, &s).expect("parses");
    assert_eq!(doc.refs.len(), 5);
    let got: Vec<&str> = doc.refs.iter().map(|r| slice(&text, r.span)).collect();
    assert_eq!(
        got,
        vec![
            "{{support_queue}}",
            "Billing Enquiry",
            "Flow.VipQueue",
            "Billing",
            "Spanish"
        ]
    );
}

#[test]
fn escaped_quotes_span_the_source_text() {
    let text = "inboundCall:\n  name: x\n  tasks:\n    - task:\n        actions:\n          - transferToAcd:\n              targetQueue:\n                lit:\n                  name: \"Say \\\"hi\\\" queue\"\n";
    let doc = parse_flow(F, text, &[]).expect("parses");
    assert_eq!(doc.refs[0].value, lit("Say \"hi\" queue"));
    // The span is the source text inside the quotes, escapes included.
    assert_eq!(slice(text, doc.refs[0].span), "Say \\\"hi\\\" queue");
}

#[test]
fn our_depth_limit_fires_for_block_nesting() {
    let mut s = String::from("inboundCall:\n");
    for i in 0..(MAX_DEPTH + 5) {
        s.push_str(&" ".repeat(2 * (i + 1)));
        s.push_str("k:\n");
    }
    let err = parse_flow(F, &s, &[]).expect_err("too deep");
    assert!(
        err.message.contains("nesting deeper than 128"),
        "{}",
        err.message
    );
    // Located at the collection that went too deep, inside the file.
    assert!(err.span.start as usize > 0 && (err.span.start as usize) < s.len());
}

#[test]
fn placeholders_in_comments_do_not_count() {
    let text = "# Deploy with substitutions {{flow_name}} and {{old_name}}; ${queue}\ninboundCall:\n  name: \"{{flow_name}}\" # was {{legacy}}\n  description: ${queue} # {{only_here}}\n";
    let s = subs(&[
        ("flow_name", Some("F")),
        ("only_here", Some("x")),
        ("queue", Some("Q")),
    ]);
    let doc = parse_flow(F, text, &s).expect("parses");
    assert!(
        doc.missing_placeholders.is_empty(),
        "{:?}",
        doc.missing_placeholders
    );
    assert_eq!(
        doc.unused_subs,
        vec![1, 2],
        "used only in a comment is unused"
    );
    let d: Vec<&str> = doc
        .dollar_mistakes
        .iter()
        .map(|d| slice(text, d.span))
        .collect();
    assert_eq!(d, vec!["${queue}"]);
    assert_eq!(
        doc.dollar_mistakes[0].span.start as usize,
        text.rfind("${queue}").unwrap_or(0)
    );
}

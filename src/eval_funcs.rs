//! Terraform's built-in functions, as far as configurations use them to shape ids, names and
//! JSON. An unknown argument makes the result unknown; a function not listed here is unknown too
//! (never an error: Terraform has a hundred functions and cxlint only needs the value-shaping ones).

use std::collections::BTreeMap;

use crate::eval::{json_string_value, to_template_string, unknown_reason};
use crate::eval_budget as budget;
use crate::source::Span;
use crate::value::{V, Val, number_to_string, to_json_string};

/// Call `name` with evaluated `args`.
pub fn call(name: &str, args: Vec<Val>, span: Span) -> Val {
    if let Err(unknown) = charge(name, &args) {
        return unknown;
    }
    let v = apply(name, args, span);
    // The string made is paid for too: a function called for each element of a `for` may
    // copy a long string each time (`join`, `replace`, `format`...).
    let paid = |s: &str| budget::check_len(s.len()).and_then(|()| budget::spend_written(s.len()));
    match v.as_str().map(paid) {
        Some(Err(unknown)) => unknown,
        _ => v,
    }
}

/// Takes the steps of reading `args` from the evaluation's budget (`crate::eval_budget`):
/// their whole trees for the functions that walk them to the leaves, their top level for the
/// others; pairwise comparisons for the set functions that make them. What a function makes
/// beyond what it reads is paid where it is made: `split`'s elements, `jsondecode`'s values,
/// the strings returned (see [`call`]). The others make no more elements than they read.
fn charge(name: &str, args: &[Val]) -> Result<(), Val> {
    match name {
        "jsonencode" | "flatten" | "try" | "contains" | "index" | "sort" | "setunion" | "toset"
        | "distinct" | "setsubtract" | "setintersection" => {
            args.iter().try_for_each(budget::spend_deep)?
        }
        _ => args.iter().try_for_each(budget::spend_shallow)?,
    }
    Ok(())
}

fn apply(name: &str, args: Vec<Val>, span: Span) -> Val {
    let sp = Some(span);
    // Functions that tolerate unknown arguments decide for themselves.
    match name {
        "try" => {
            return args
                .into_iter()
                .find(|a| !a.contains_unknown())
                .unwrap_or_else(|| Val::unknown("no `try` argument is known"));
        }
        "can" => return Val::unknown("`can` is not evaluated"),
        "coalesce" => {
            for a in &args {
                if a.is_unknown() {
                    return Val::unknown("`coalesce` argument is not known");
                }
                if !a.is_null() && a.as_str() != Some("") {
                    return a.clone();
                }
            }
            return Val::unknown("`coalesce` has no non-empty argument");
        }
        _ => {}
    }
    if let Some(u) = args.iter().find(|a| a.is_unknown()) {
        return Val::unknown(unknown_reason(u, "function argument is not known"));
    }
    let s = |i: usize| args.get(i).and_then(to_template_string);
    let unknown = || Val::unknown(format!("`{name}` could not be evaluated"));
    match name {
        "jsonencode" => match args.first().and_then(to_json_string) {
            Some(j) => Val::string(j, sp),
            None => Val::unknown("`jsonencode` of a value that is not fully known"),
        },
        "jsondecode" => match s(0) {
            Some(t) => {
                // A value can take as little as two bytes of the text (`0,`): paid for before
                // it is made, since reading the text paid only one step per 8 bytes.
                if let Err(too_costly) = budget::spend(t.len() as u64 / 2) {
                    return too_costly;
                }
                json_string_value(&t, sp).unwrap_or_else(unknown)
            }
            None => unknown(),
        },
        // Configurations that keep their queues and codes in a YAML file:
        // `yamldecode(file("${path.module}/queues.yaml"))`.
        "yamldecode" => match s(0) {
            Some(t) => {
                // Paid for as `jsondecode` is: a value per two bytes of text at most.
                if let Err(too_costly) = budget::spend(t.len() as u64 / 2) {
                    return too_costly;
                }
                yaml_value(&t, sp).unwrap_or_else(unknown)
            }
            None => unknown(),
        },
        // Codes and queues kept in a spreadsheet export:
        // `for_each = { for r in csvdecode(file("codes.csv")) : r.name => r }`.
        "csvdecode" => match s(0) {
            Some(t) => {
                if let Err(too_costly) = budget::spend(t.len() as u64 / 2) {
                    return too_costly;
                }
                csv_value(&t, sp).unwrap_or_else(unknown)
            }
            None => unknown(),
        },
        "concat" => {
            let mut out = Vec::new();
            for a in &args {
                match a.as_list() {
                    Some(items) => out.extend(items.iter().cloned()),
                    None => return unknown(),
                }
            }
            Val::list(out, sp)
        }
        "toset" | "distinct" => match args.first().and_then(Val::as_list) {
            Some(items) => {
                let mut out = match distinct(items.iter()) {
                    Ok(out) => out,
                    Err(unknown) => return unknown,
                };
                // Terraform iterates a set of strings in lexical order.
                if name == "toset" && out.iter().all(|v| v.as_str().is_some()) {
                    out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                }
                Val::list(out, sp)
            }
            None => unknown(),
        },
        "tolist" | "tomap" | "sensitive" | "nonsensitive" => {
            args.into_iter().next().unwrap_or_else(unknown)
        }
        // The one instance of a resource that `count = var.enabled ? 1 : 0` toggles:
        // `one(genesyscloud_routing_queue.optional[*].id)`. More than one is Terraform's error.
        "one" => match args.first().and_then(Val::as_list) {
            Some([]) => Val::new(V::Null, sp),
            Some([only]) => only.clone(),
            _ => unknown(),
        },
        "tostring" => s(0).map(|t| Val::string(t, sp)).unwrap_or_else(unknown),
        "tonumber" => args
            .first()
            .and_then(Val::as_number)
            .map(|n| Val::new(V::Number(n), sp))
            .unwrap_or_else(unknown),
        "flatten" => match args.first() {
            Some(a) => {
                let mut out = Vec::new();
                flatten_into(a, &mut out);
                Val::list(out, sp)
            }
            None => unknown(),
        },
        "merge" => {
            let mut out = BTreeMap::new();
            for a in &args {
                match &a.v {
                    V::Object(f) => out.extend(f.iter().map(|(k, v)| (k.clone(), v.clone()))),
                    V::Null => {}
                    _ => return unknown(),
                }
            }
            Val::object(out, sp)
        }
        "lookup" => match (args.first(), s(1)) {
            (Some(m), Some(k)) => match m.get(&k) {
                Some(v) => v.clone(),
                None => args
                    .get(2)
                    .cloned()
                    .unwrap_or_else(|| Val::unknown(format!("no key `{k}`"))),
            },
            _ => unknown(),
        },
        "element" => match (
            args.first().and_then(Val::as_list),
            args.get(1).and_then(Val::as_number),
        ) {
            (Some(items), Some(i)) if !items.is_empty() => {
                items[(i as usize) % items.len()].clone()
            }
            _ => unknown(),
        },
        "length" => match &args.first().map(|a| &a.v) {
            Some(V::List(i)) => Val::new(V::Number(i.len() as f64), sp),
            Some(V::Object(f)) => Val::new(V::Number(f.len() as f64), sp),
            Some(V::String(t)) => Val::new(V::Number(t.chars().count() as f64), sp),
            _ => unknown(),
        },
        "keys" => match args.first().and_then(Val::as_object) {
            Some(f) => Val::list(f.keys().map(|k| Val::string(k.as_str(), sp)).collect(), sp),
            None => unknown(),
        },
        "values" => match args.first().and_then(Val::as_object) {
            Some(f) => Val::list(f.values().cloned().collect(), sp),
            None => unknown(),
        },
        "zipmap" => match (
            args.first().and_then(Val::as_list),
            args.get(1).and_then(Val::as_list),
        ) {
            (Some(k), Some(v)) if k.len() == v.len() => {
                let mut out = BTreeMap::new();
                for (k, v) in k.iter().zip(v.iter()) {
                    match to_template_string(k) {
                        Some(k) => {
                            out.insert(k, v.clone());
                        }
                        None => return unknown(),
                    }
                }
                Val::object(out, sp)
            }
            _ => unknown(),
        },
        "contains" => match (args.first().and_then(Val::as_list), args.get(1)) {
            (Some(items), Some(x)) => {
                let mut any_symbolic = false;
                for i in items {
                    match crate::eval::equal(i, x) {
                        Some(true) => return Val::new(V::Bool(true), sp),
                        Some(false) => {}
                        None => any_symbolic = true,
                    }
                }
                if any_symbolic {
                    unknown()
                } else {
                    Val::new(V::Bool(false), sp)
                }
            }
            _ => unknown(),
        },
        // The first element equal to the value; Terraform fails when there is none.
        "index" => match (args.first().and_then(Val::as_list), args.get(1)) {
            (Some(items), Some(x)) => {
                for (i, item) in items.iter().enumerate() {
                    match crate::eval::equal(item, x) {
                        Some(true) => return Val::new(V::Number(i as f64), sp),
                        Some(false) => {}
                        None => return unknown(),
                    }
                }
                Val::unknown("`index` finds no such element")
            }
            _ => unknown(),
        },
        "format" => match s(0) {
            Some(f) => format(&f, &args[1..])
                .map(|t| Val::string(t, sp))
                .unwrap_or_else(unknown),
            None => unknown(),
        },
        "join" => match (s(0), args.get(1).and_then(Val::as_list)) {
            (Some(sep), Some(items)) => {
                let parts: Option<Vec<String>> = items.iter().map(to_template_string).collect();
                let Some(parts) = parts else { return unknown() };
                let len = parts.iter().map(String::len).sum::<usize>()
                    + sep.len().saturating_mul(parts.len().saturating_sub(1));
                match budget::check_len(len) {
                    Ok(()) => Val::string(parts.join(&sep), sp),
                    Err(too_long) => too_long,
                }
            }
            _ => unknown(),
        },
        "split" => match (s(0), s(1)) {
            (Some(sep), Some(t)) => {
                // One element a piece, which can be one a byte of the text (reading it paid one
                // step per 8 bytes): each is paid for, before any is made.
                let pieces = t.split(sep.as_str()).count();
                if let Err(too_costly) = budget::spend(pieces as u64) {
                    return too_costly;
                }
                Val::list(
                    t.split(sep.as_str()).map(|p| Val::string(p, sp)).collect(),
                    sp,
                )
            }
            _ => unknown(),
        },
        "lower" => s(0)
            .map(|t| Val::string(t.to_lowercase(), sp))
            .unwrap_or_else(unknown),
        "upper" => s(0)
            .map(|t| Val::string(t.to_uppercase(), sp))
            .unwrap_or_else(unknown),
        "trimspace" => s(0)
            .map(|t| Val::string(t.trim(), sp))
            .unwrap_or_else(unknown),
        "title" => s(0)
            .map(|t| Val::string(title(&t), sp))
            .unwrap_or_else(unknown),
        "replace" => match (s(0), s(1), s(2)) {
            // Regex replacement (`/re/`) is not modelled.
            (Some(t), Some(from), Some(to))
                if !(from.starts_with('/') && from.ends_with('/') && from.len() > 1) =>
            {
                let grows = to.len().saturating_sub(from.len());
                let n = if grows > 0 {
                    t.matches(from.as_str()).count()
                } else {
                    0
                };
                match budget::check_len(t.len().saturating_add(n.saturating_mul(grows))) {
                    Ok(()) => Val::string(t.replace(from.as_str(), &to), sp),
                    Err(too_long) => too_long,
                }
            }
            _ => unknown(),
        },
        "substr" => match (
            s(0),
            args.get(1).and_then(Val::as_number),
            args.get(2).and_then(Val::as_number),
        ) {
            (Some(t), Some(off), Some(len)) if off >= 0.0 => {
                let chars = t.chars().skip(off as usize);
                let out: String = if len < 0.0 {
                    chars.collect()
                } else {
                    chars.take(len as usize).collect()
                };
                Val::string(out, sp)
            }
            _ => unknown(),
        },
        "startswith" | "endswith" => match (s(0), s(1)) {
            (Some(t), Some(p)) => Val::new(
                V::Bool(if name == "startswith" {
                    t.starts_with(&p)
                } else {
                    t.ends_with(&p)
                }),
                sp,
            ),
            _ => unknown(),
        },
        "compact" => match args.first().and_then(Val::as_list) {
            Some(items) => Val::list(
                items
                    .iter()
                    .filter(|i| !(i.is_null() || i.as_str() == Some("")))
                    .cloned()
                    .collect(),
                sp,
            ),
            None => unknown(),
        },
        "sort" => match args.first().and_then(Val::as_list) {
            Some(items) => {
                let mut strs: Option<Vec<String>> = items.iter().map(to_template_string).collect();
                match strs.as_mut() {
                    Some(v) => {
                        v.sort();
                        Val::list(v.iter().map(|t| Val::string(t.as_str(), sp)).collect(), sp)
                    }
                    None => unknown(),
                }
            }
            None => unknown(),
        },
        "setunion" => {
            let Some(lists) = args.iter().map(Val::as_list).collect::<Option<Vec<_>>>() else {
                return unknown();
            };
            match distinct(lists.into_iter().flatten()) {
                Ok(out) => Val::list(out, sp),
                Err(unknown) => unknown,
            }
        }
        // "All the codes but these" (`setsubtract(values(local.codes), [...])`) and "the codes
        // both lists have": elements are kept by equality, which an unknown element leaves
        // undecided (the whole result is then unknown, never a guess).
        "setsubtract" | "setintersection" => {
            let Some(lists) = args.iter().map(Val::as_list).collect::<Option<Vec<_>>>() else {
                return unknown();
            };
            let Some((first, others)) = lists.split_first() else {
                return unknown();
            };
            if name == "setsubtract" && others.len() != 1 {
                return unknown();
            }
            let mut kept = Vec::new();
            for item in *first {
                let mut in_each = true;
                for other in others {
                    if let Err(unknown) = budget::spend(other.len() as u64) {
                        return unknown;
                    }
                    let found = other
                        .iter()
                        .map(|o| crate::eval::equal(item, o))
                        .try_fold(false, |found, eq| Some(found || eq?));
                    let Some(found) = found else { return unknown() };
                    in_each &= found;
                }
                // Subtracting (from exactly one other set) keeps what the other lacks;
                // intersecting keeps what each has.
                let keep = match name {
                    "setsubtract" => !in_each,
                    _ => in_each,
                };
                if keep {
                    kept.push(item);
                }
            }
            match distinct(kept.into_iter()) {
                Ok(out) => Val::list(out, sp),
                Err(unknown) => unknown,
            }
        }
        "slice" => match (
            args.first().and_then(Val::as_list),
            args.get(1).and_then(Val::as_number),
            args.get(2).and_then(Val::as_number),
        ) {
            (Some(items), Some(a), Some(b))
                if a >= 0.0 && b >= a && (b as usize) <= items.len() =>
            {
                Val::list(items[a as usize..b as usize].to_vec(), sp)
            }
            _ => unknown(),
        },
        "max" | "min" => {
            let nums: Option<Vec<f64>> = args.iter().map(Val::as_number).collect();
            match nums {
                Some(n) if !n.is_empty() => {
                    let v = if name == "max" {
                        n.iter().cloned().fold(f64::MIN, f64::max)
                    } else {
                        n.iter().cloned().fold(f64::MAX, f64::min)
                    };
                    Val::new(V::Number(v), sp)
                }
                _ => unknown(),
            }
        }
        // Names made from file names (`trimsuffix(basename(f), ".yaml")` for a flow kept per
        // file) and prefixes: left unknown, every use of them went unchecked.
        "trimprefix" | "trimsuffix" => match (s(0), s(1)) {
            (Some(t), Some(affix)) => {
                let trimmed = match name {
                    "trimprefix" => t.strip_prefix(affix.as_str()),
                    _ => t.strip_suffix(affix.as_str()),
                };
                Val::string(trimmed.unwrap_or(&t), sp)
            }
            _ => unknown(),
        },
        "trim" => match (s(0), s(1)) {
            (Some(t), Some(cut)) => Val::string(t.trim_matches(|c| cut.contains(c)), sp),
            _ => unknown(),
        },
        // Every line end at the end, as Terraform's `chomp` removes them.
        "chomp" => s(0)
            .map(|t| Val::string(t.trim_end_matches(['\r', '\n']), sp))
            .unwrap_or_else(unknown),
        "strcontains" => match (s(0), s(1)) {
            (Some(t), Some(part)) => Val::new(V::Bool(t.contains(part.as_str())), sp),
            _ => unknown(),
        },
        "basename" => s(0)
            .map(|t| Val::string(basename(&t), sp))
            .unwrap_or_else(unknown),
        "dirname" => s(0)
            .and_then(|t| dirname(&t).map(|d| Val::string(d, sp)))
            .unwrap_or_else(unknown),
        "reverse" => match args.first().and_then(Val::as_list) {
            Some(items) => Val::list(items.iter().rev().cloned().collect(), sp),
            None => unknown(),
        },
        // `count = length(range(...))` and `for i in range(n)`: each element is a step.
        "range" => {
            let nums: Option<Vec<f64>> = args.iter().map(Val::as_number).collect();
            let (start, limit, step) = match nums.as_deref() {
                Some(&[limit]) => (0.0, limit, if limit < 0.0 { -1.0 } else { 1.0 }),
                Some(&[start, limit]) => (start, limit, if limit < start { -1.0 } else { 1.0 }),
                Some(&[start, limit, step]) => (start, limit, step),
                _ => return unknown(),
            };
            // Terraform refuses a step of zero, and one away from the limit gives nothing.
            if step == 0.0 || !(start.is_finite() && limit.is_finite() && step.is_finite()) {
                return unknown();
            }
            let count = ((limit - start) / step).ceil().max(0.0);
            if let Err(too_costly) = budget::spend(count as u64) {
                return too_costly;
            }
            let items = (0..count as u64).map(|i| Val::new(V::Number(start + step * i as f64), sp));
            Val::list(items.collect(), sp)
        }
        "coalescelist" => match args.iter().map(Val::as_list).collect::<Option<Vec<_>>>() {
            Some(lists) => match lists.into_iter().find(|l| !l.is_empty()) {
                Some(first) => Val::list(first.to_vec(), sp),
                None => unknown(),
            },
            None => unknown(),
        },
        "alltrue" | "anytrue" => {
            let bools: Option<Vec<bool>> = (args.first().and_then(Val::as_list))
                .and_then(|items| items.iter().map(Val::as_bool).collect());
            match bools {
                Some(b) if name == "alltrue" => Val::new(V::Bool(b.iter().all(|&x| x)), sp),
                Some(b) => Val::new(V::Bool(b.iter().any(|&x| x)), sp),
                None => unknown(),
            }
        }
        "sum" => match (args.first().and_then(Val::as_list))
            .and_then(|items| items.iter().map(Val::as_number).collect::<Option<Vec<_>>>())
        {
            Some(n) if !n.is_empty() => Val::new(V::Number(n.iter().sum()), sp),
            _ => unknown(),
        },
        "abs" | "ceil" | "floor" => match args.first().and_then(Val::as_number) {
            Some(n) => Val::new(
                V::Number(match name {
                    "abs" => n.abs(),
                    "ceil" => n.ceil(),
                    _ => n.floor(),
                }),
                sp,
            ),
            None => unknown(),
        },
        "base64encode" | "base64decode" | "file" | "templatefile" | "filebase64" | "uuid"
        | "timestamp" | "sha256" | "md5" | "regex" | "regexall" => {
            Val::unknown(format!("`{name}` is not evaluated"))
        }
        _ => Val::unknown(format!("function `{name}` is not evaluated")),
    }
}

/// The last element of a slash-separated path, as Terraform's `basename` (Go's `filepath.Base`)
/// gives it: trailing slashes ignored, `.` for an empty path, `/` for slashes only.
fn basename(path: &str) -> &str {
    if path.is_empty() {
        return ".";
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// All but the last element of a path, as Terraform's `dirname` (Go's `filepath.Dir`) gives it;
/// `None` where Go would also clean the path (`.` or `..` elements, doubled slashes), which is
/// not worth guessing.
fn dirname(path: &str) -> Option<&str> {
    let dir = match path.rfind('/') {
        None => return Some("."),
        Some(0) => return Some("/"),
        Some(i) => &path[..i],
    };
    let clean = !dir.contains("//") && dir.split('/').all(|seg| seg != "." && seg != "..");
    clean
        .then_some(dir.trim_end_matches('/'))
        .filter(|d| !d.is_empty())
}

/// `yamldecode` of `text`, as Terraform reads YAML (the 1.2 core schema); `None` for anything
/// not read the same way for sure: an alias or merge key, a tag, a duplicate key, a plain
/// `yes`/`no`/`on`/`off` (booleans to YAML 1.1 readers), `.inf` and `.nan`.
fn yaml_value(text: &str, sp: Option<Span>) -> Option<Val> {
    use crate::load::archy::tree;
    let Some(t) = tree::parse(text).ok()? else {
        return Some(Val::new(V::Null, sp));
    };
    fn node(t: &tree::Tree, text: &str, id: tree::NodeId, sp: Option<Span>) -> Option<Val> {
        match t.node(id) {
            tree::Node::Scalar { value, .. } => {
                let raw = text.get(t.spans[id].clone())?.trim_start();
                if raw.starts_with(['!', '&']) {
                    return None;
                }
                if raw.starts_with(['"', '\'', '|', '>']) {
                    return Some(Val::string(value.as_str(), sp));
                }
                plain_yaml_scalar(value, sp)
            }
            tree::Node::Seq(items) => {
                let items = (items.iter()).map(|&i| node(t, text, i, sp));
                Some(Val::list(items.collect::<Option<Vec<_>>>()?, sp))
            }
            tree::Node::Map(entries) => {
                let mut fields: BTreeMap<String, Val> = BTreeMap::new();
                let mut order = Vec::with_capacity(entries.len());
                for &(k, v) in entries {
                    let key = t.scalar(k)?;
                    if key == "<<" || fields.contains_key(key) {
                        return None;
                    }
                    fields.insert(key.to_owned(), node(t, text, v, sp)?);
                    order.push(key.to_owned());
                }
                let fields: crate::value::Fields = (order.into_iter())
                    .filter_map(|k| fields.remove(&k).map(|v| (k, v)))
                    .collect();
                Some(Val::object(fields, sp))
            }
            tree::Node::Alias => None,
        }
    }
    node(&t, text, t.root, sp)
}

/// `csvdecode` of `text` (RFC 4180, as Terraform reads it): a list of objects keyed by the
/// header row, every value a string; `None` where Terraform fails (a row of another length, a
/// stray quote).
fn csv_value(text: &str, sp: Option<Span>) -> Option<Val> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut started = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => {
                quoted = false;
                if !matches!(chars.peek(), None | Some(',' | '\n' | '\r')) {
                    return None;
                }
            }
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, '"') => return None,
            (false, ',') => row.push(std::mem::take(&mut field)),
            // `\r\n` ends a line as `\n` does.
            (false, '\r') if chars.peek() == Some(&'\n') => continue,
            // An empty line is skipped, as Go's `encoding/csv` (Terraform's reader) skips it.
            (false, '\n' | '\r') => {
                if started {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                started = false;
                continue;
            }
            (false, c) => field.push(c),
        }
        started = true;
    }
    if quoted {
        return None;
    }
    if started || !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    let mut rows = rows.into_iter();
    let header = rows.next()?;
    // Terraform refuses a header that names a column twice; which value would win is no guess
    // to make.
    let mut names: Vec<&String> = header.iter().collect();
    names.sort_unstable();
    if names.windows(2).any(|p| p[0] == p[1]) {
        return None;
    }
    let mut out = Vec::new();
    for r in rows {
        if r.len() != header.len() {
            return None;
        }
        let fields: crate::value::Fields = (header.iter().zip(r))
            .map(|(k, v)| (k.clone(), Val::string(v, sp)))
            .collect();
        out.push(Val::object(fields, sp));
    }
    Some(Val::list(out, sp))
}

/// A plain (unquoted) YAML scalar under the 1.2 core schema.
fn plain_yaml_scalar(value: &str, sp: Option<Span>) -> Option<Val> {
    let v = match value {
        "" | "~" | "null" | "Null" | "NULL" => V::Null,
        "true" | "True" | "TRUE" => V::Bool(true),
        "false" | "False" | "FALSE" => V::Bool(false),
        _ if matches!(
            value.to_ascii_lowercase().as_str(),
            "yes" | "no" | "on" | "off" | "y" | "n"
        ) =>
        {
            return None;
        }
        _ if value.starts_with('.') && value[1..].chars().all(|c| c.is_ascii_alphabetic()) => {
            return None;
        }
        _ => {
            let numeric = value.bytes().any(|b| b.is_ascii_digit())
                && value
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
            let radix = |prefix: &str, radix| {
                value
                    .strip_prefix(prefix)
                    .and_then(|d| i64::from_str_radix(d, radix).ok())
            };
            match (numeric, radix("0x", 16).or_else(|| radix("0o", 8))) {
                (_, Some(n)) => V::Number(n as f64),
                // Only the core schema's numbers: a date (`2024-01-31`) or a version (`1.2.3`)
                // is a string.
                (true, None) => match value.parse() {
                    Ok(n) => V::Number(n),
                    Err(_) => return Some(Val::string(value, sp)),
                },
                (false, None) => return Some(Val::string(value, sp)),
            }
        }
    };
    Some(Val::new(v, sp))
}

/// The items without repeats, first occurrences in order. Strings (the common case) dedupe by
/// hash; other values pairwise, each comparison a step of the evaluation's budget.
fn distinct<'a>(items: impl Iterator<Item = &'a Val> + Clone) -> Result<Vec<Val>, Val> {
    let mut out: Vec<Val> = Vec::new();
    if items.clone().all(|v| v.as_str().is_some()) {
        let mut seen = std::collections::HashSet::new();
        out.extend(
            items
                .filter(|v| seen.insert(v.as_str().unwrap_or_default()))
                .cloned(),
        );
        return Ok(out);
    }
    for i in items {
        budget::spend(out.len() as u64)?;
        if !out.iter().any(|o| crate::eval::equal(o, i) == Some(true)) {
            out.push(i.clone());
        }
    }
    Ok(out)
}

fn flatten_into(v: &Val, out: &mut Vec<Val>) {
    match &v.v {
        V::List(items) => items.iter().for_each(|i| flatten_into(i, out)),
        _ => out.push(v.clone()),
    }
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = c.is_whitespace();
    }
    out
}

/// Terraform's `format` for the verbs configurations use: `%s`, `%d`, `%v`, `%q`, `%%`.
fn format(f: &str, args: &[Val]) -> Option<String> {
    format_with(f, args, None)
}

/// The text `format(f, args...)` gives when `f` looks like JSON and some of `args` are not
/// known, with [`crate::eval::UNKNOWN_PART`] for each of those (see
/// `Evaluator::json_skeletons`); `None` otherwise. `args` are the call's, format string first.
pub fn format_skeleton(args: &[Val]) -> Option<String> {
    let (f, rest) = args.split_first()?;
    let f = f.as_str().filter(|f| crate::eval::looks_like_json(f))?;
    let known = |a: &Val| !a.is_unknown() && !matches!(a.v, V::Id(_) | V::Instance(_));
    if rest.iter().all(known) || budget::spend(rest.len() as u64).is_err() {
        return None;
    }
    format_with(f, rest, Some(crate::eval::unknown_part))
}

/// [`format`], writing `hole(arg)` for an argument not known (with `None`, such an argument
/// fails).
fn format_with(f: &str, args: &[Val], hole: Option<fn(&Val) -> String>) -> Option<String> {
    let mut out = String::new();
    let mut it = args.iter();
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let verb = chars.next()?;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let arg = it.next()?;
        let unknown = arg.is_unknown() || matches!(arg.v, V::Id(_) | V::Instance(_));
        if let (true, Some(hole)) = (unknown, hole) {
            if !matches!(verb, 's' | 'v' | 'd' | 'q') {
                return None;
            }
            out.push_str(&hole(arg));
            continue;
        }
        match verb {
            's' | 'v' => out.push_str(&to_template_string(arg)?),
            'd' => out.push_str(&number_to_string(arg.as_number()?.trunc())),
            'q' => out.push_str(&format!("{:?}", to_template_string(arg)?)),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Option<Val> {
        yaml_value(text, None)
    }

    #[test]
    fn plain_yaml_scalars_that_are_not_numbers_are_strings() {
        let v = yaml("day: 2024-01-31\nversion: 1.2.3\ncount: 12\nratio: -0.5e1\n").unwrap();
        let get = |k: &str| v.get(k).cloned().unwrap().v;
        assert!(matches!(get("day"), V::String(s) if s == "2024-01-31"));
        assert!(matches!(get("version"), V::String(s) if s == "1.2.3"));
        assert!(matches!(get("count"), V::Number(n) if n == 12.0));
        assert!(matches!(get("ratio"), V::Number(n) if n == -5.0));
        // What a YAML 1.1 reader takes for a boolean is left unknown, not guessed.
        assert!(yaml("enabled: yes\n").is_none());
    }

    fn call_str(name: &str, args: &[&str]) -> Option<String> {
        let args = args.iter().map(|a| Val::string(*a, None)).collect();
        apply(name, args, Span::default())
            .as_str()
            .map(str::to_owned)
    }

    #[test]
    fn string_and_path_functions() {
        let f = call_str;
        assert_eq!(
            f("trimsuffix", &["queue.yaml", ".yaml"]).as_deref(),
            Some("queue")
        );
        assert_eq!(
            f("trimsuffix", &["queue.yml", ".yaml"]).as_deref(),
            Some("queue.yml")
        );
        assert_eq!(
            f("trimprefix", &["cx-sales", "cx-"]).as_deref(),
            Some("sales")
        );
        assert_eq!(f("trim", &["?!hello?!", "!?"]).as_deref(), Some("hello"));
        assert_eq!(f("chomp", &["line\r\n\n"]).as_deref(), Some("line"));
        assert_eq!(
            f("basename", &["flows/inbound/main.yaml"]).as_deref(),
            Some("main.yaml")
        );
        assert_eq!(f("basename", &["flows/"]).as_deref(), Some("flows"));
        assert_eq!(f("basename", &[""]).as_deref(), Some("."));
        assert_eq!(f("basename", &["//"]).as_deref(), Some("/"));
        assert_eq!(
            f("dirname", &["flows/inbound/main.yaml"]).as_deref(),
            Some("flows/inbound")
        );
        assert_eq!(f("dirname", &["main.yaml"]).as_deref(), Some("."));
        assert_eq!(f("dirname", &["/main.yaml"]).as_deref(), Some("/"));
        // What Go would clean first is not guessed.
        assert_eq!(f("dirname", &["flows/../x/main.yaml"]), None);
    }

    #[test]
    fn list_and_number_functions() {
        let n = |v: f64| Val::new(V::Number(v), None);
        let nums = |v: &Val| -> Vec<f64> {
            (v.as_list().unwrap().iter())
                .map(|x| x.as_number().unwrap())
                .collect()
        };
        let at = Span::default();
        assert_eq!(nums(&apply("range", vec![n(3.0)], at)), [0.0, 1.0, 2.0]);
        assert_eq!(nums(&apply("range", vec![n(-2.0)], at)), [0.0, -1.0]);
        assert_eq!(
            nums(&apply("range", vec![n(3.0), n(0.0)], at)),
            [3.0, 2.0, 1.0]
        );
        assert_eq!(
            nums(&apply("range", vec![n(1.0), n(2.0), n(0.5)], at)),
            [1.0, 1.5]
        );
        assert!(apply("range", vec![n(0.0), n(5.0), n(0.0)], at).is_unknown());
        assert!(
            apply("range", vec![n(0.0), n(5.0), n(-1.0)], at)
                .as_list()
                .unwrap()
                .is_empty()
        );
        let list = Val::list(vec![n(1.0), n(2.0), n(3.0)], None);
        assert_eq!(
            nums(&apply("reverse", vec![list.clone()], at)),
            [3.0, 2.0, 1.0]
        );
        assert_eq!(apply("sum", vec![list.clone()], at).as_number(), Some(6.0));
        let empty = Val::list(vec![], None);
        assert_eq!(
            nums(&apply("coalescelist", vec![empty, list], at)),
            [1.0, 2.0, 3.0]
        );
        let b = |v: bool| Val::new(V::Bool(v), None);
        let bools = Val::list(vec![b(true), b(false)], None);
        assert_eq!(
            apply("alltrue", vec![bools.clone()], at).as_bool(),
            Some(false)
        );
        assert_eq!(apply("anytrue", vec![bools], at).as_bool(), Some(true));
        assert_eq!(apply("floor", vec![n(-1.5)], at).as_number(), Some(-2.0));
        assert_eq!(apply("abs", vec![n(-1.5)], at).as_number(), Some(1.5));
    }

    #[test]
    fn a_csv_header_naming_a_column_twice_is_unknown() {
        assert!(csv_value("name,queue,name\na,b,c\n", None).is_none());
        let v = csv_value("name,queue\na,b\n", None).unwrap();
        assert_eq!(v.as_list().map(<[Val]>::len), Some(1));
    }
}

//! Parser of the generated catalog text (`data/api-catalog.tsv`; format in `data/PROVENANCE.md`).
//!
//! Every string is borrowed from the `'static` text; only the per-record lists are allocated.

use std::sync::OnceLock;

use super::{
    Catalog, Field, Model, Operation, PermissionKind, Permissions, Provenance, ResourcePerms,
    SourceFile,
};

/// The format version this parser reads.
const FORMAT_VERSION: &str = "1";
/// The most fields a record has after its kind (`op`).
const MAX_FIELDS: usize = 12;

/// A malformed catalog line (the artifact is generated, so this means a generator/parser mismatch).
#[derive(Debug, thiserror::Error)]
#[error("catalog line {line}: {message}")]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Parse the catalog text up to its models (header, operations, Terraform map); the models, which
/// come last, are kept as text for [`parse_models`] to read on first use.
pub fn parse(text: &'static str) -> Result<Catalog, ParseError> {
    let mut provenance = Provenance::default();
    let mut ops = Vec::with_capacity(3400);
    let mut resources = Vec::with_capacity(140);
    let mut models_text: &'static str = "";
    let mut models_first_line = 0;

    for (idx, line) in text.lines().enumerate() {
        let n = idx + 1;
        let err = |message: String| ParseError { line: n, message };
        let (kind, rest, len) = split_record(line).map_err(err)?;
        let want = |count: usize| {
            if len == count {
                Ok(())
            } else {
                Err(err(format!(
                    "`{kind}` record has {len} fields, expected {count}"
                )))
            }
        };
        match kind {
            "cxlint-api-catalog" => {
                want(1)?;
                if rest[0] != FORMAT_VERSION {
                    return Err(err(format!(
                        "format version {} (this build reads {FORMAT_VERSION})",
                        rest[0]
                    )));
                }
                provenance.format_version = rest[0];
            }
            "generator" => {
                want(2)?;
                provenance.generator = format!("{} {}", rest[0], rest[1]);
            }
            "source" => {
                want(3)?;
                let bytes = rest[2]
                    .parse()
                    .map_err(|_| err(format!("bad size `{}`", rest[2])))?;
                provenance.sources.push(SourceFile {
                    name: rest[0],
                    sha256: rest[1],
                    bytes,
                });
            }
            "api-meta" => {
                want(1)?;
                provenance.api_meta = rest[0];
            }
            "terraform-version" => {
                want(1)?;
                provenance.terraform_version = rest[0];
            }
            "op" => {
                want(12)?;
                ops.push(operation(&rest[..12]).map_err(err)?);
            }
            "tf" => {
                want(5)?;
                resources.push(ResourcePerms {
                    resource_type: rest[0],
                    resource_name: rest[1],
                    permissions: list(rest[2]),
                    scopes: list(rest[3]),
                    endpoints: list(rest[4]),
                });
            }
            "model" => {
                // `line` borrows from `text`, so its address gives the offset of the models.
                let offset = line.as_ptr() as usize - text.as_ptr() as usize;
                models_text = &text[offset..];
                models_first_line = n;
                break;
            }
            "f" => return Err(err("field outside a model".into())),
            "" if len == 0 => {}
            other => return Err(err(format!("unknown record `{other}`"))),
        }
    }

    if provenance.format_version.is_empty() {
        return Err(ParseError {
            line: 1,
            message: "missing `cxlint-api-catalog` header".into(),
        });
    }
    // The generator sorts; binary searches rely on it, so make sure rather than trust.
    resources.sort_by(|a, b| a.resource_type.cmp(b.resource_type));

    let mut by_len: Vec<Vec<u32>> = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let len = op.seg_count as usize;
        if by_len.len() <= len {
            by_len.resize_with(len + 1, Vec::new);
        }
        by_len[len].push(i as u32);
    }

    let mut scopes = Vec::with_capacity(8192);
    let mut permissions = Vec::with_capacity(8192);
    for op in &ops {
        scopes.extend(op.scopes.iter().flat_map(|s| s.iter().copied()));
        permissions.extend(op.permissions.list.iter().copied());
    }
    for r in &resources {
        scopes.extend(r.scopes.iter().copied());
        permissions.extend(r.permissions.iter().copied());
    }
    for v in [&mut scopes, &mut permissions] {
        v.sort_unstable();
        v.dedup();
    }

    Ok(Catalog {
        provenance,
        ops,
        by_len,
        models_text,
        models_first_line,
        models: OnceLock::new(),
        resources,
        scopes,
        permissions,
        literal_words: OnceLock::new(),
        nearest_index: OnceLock::new(),
    })
}

/// Parse the models section (`model` and `f` records). `first_line` numbers error messages.
pub fn parse_models(text: &'static str, first_line: usize) -> Result<Vec<Model>, ParseError> {
    let mut models: Vec<Model> = Vec::with_capacity(2500);
    let mut fields: Vec<Field> = Vec::new();
    let mut current: Option<&'static str> = None;
    for (idx, line) in text.lines().enumerate() {
        let err = |message: String| ParseError {
            line: first_line + idx,
            message,
        };
        let (kind, rest, len) = split_record(line).map_err(err)?;
        match (kind, len) {
            ("model", 1) => {
                if let Some(name) = current.replace(rest[0]) {
                    models.push(Model {
                        name,
                        fields: std::mem::take(&mut fields).into_boxed_slice(),
                    });
                }
            }
            ("f", 3) => {
                if current.is_none() {
                    return Err(err("field outside a model".into()));
                }
                let required = match rest[2] {
                    "1" => true,
                    "0" => false,
                    other => return Err(err(format!("bad required flag `{other}`"))),
                };
                fields.push(Field {
                    name: rest[0],
                    ty: rest[1],
                    required,
                });
            }
            ("", 0) => {}
            (other, _) => return Err(err(format!("unexpected `{other}` record among the models"))),
        }
    }
    if let Some(name) = current {
        models.push(Model {
            name,
            fields: fields.into_boxed_slice(),
        });
    }
    models.sort_by(|a, b| a.name.cmp(b.name));
    Ok(models)
}

/// A record's kind, its fields and their count. A fixed array rather than a Vec: this runs for
/// every one of ~18k lines.
fn split_record(
    line: &'static str,
) -> Result<(&'static str, [&'static str; MAX_FIELDS], usize), String> {
    let mut cols = line.split('\t');
    let kind = cols.next().unwrap_or_default();
    let mut rest: [&'static str; MAX_FIELDS] = [""; MAX_FIELDS];
    let mut len = 0;
    for col in cols {
        if len == MAX_FIELDS {
            return Err(format!("`{kind}` record has too many fields"));
        }
        rest[len] = col;
        len += 1;
    }
    Ok((kind, rest, len))
}

fn operation(c: &[&'static str]) -> Result<Operation, String> {
    let [
        method,
        path,
        op_id,
        sdk,
        flags,
        scopes,
        ptype,
        perms,
        body,
        response,
        query,
        summary,
    ] = *c
    else {
        return Err("wrong field count".into());
    };
    if !path.starts_with("/api/v2") {
        return Err(format!("path `{path}` is not under /api/v2"));
    }
    let kind = match ptype {
        "ANY" => PermissionKind::Any,
        "ALL" => PermissionKind::All,
        "NO" => PermissionKind::NoneRequired,
        "?" => PermissionKind::Unknown,
        other => return Err(format!("bad permission type `{other}`")),
    };
    let flag = |c: char| flags != "-" && flags.contains(c);
    Ok(Operation {
        method,
        path,
        operation_id: opt(op_id),
        sdk_method: opt(sdk),
        summary,
        scopes: if scopes == "?" {
            None
        } else {
            Some(list(scopes))
        },
        permissions: Permissions {
            kind,
            list: list(perms),
        },
        body: opt(body),
        body_required: flag('b'),
        response: opt(response),
        query_params: list(query),
        deprecated: flag('d'),
        preview: flag('p'),
        removed_in_sdk259: flag('r'),
        absent_from_sdk259: flag('a'),
        seg_count: super::paths::template_segments(path).count() as u32,
    })
}

fn opt(s: &'static str) -> Option<&'static str> {
    (s != "-" && !s.is_empty()).then_some(s)
}

fn list(s: &'static str) -> Box<[&'static str]> {
    if s.is_empty() {
        Box::default()
    } else {
        s.split(',').collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_unknown_records_and_versions() {
        let e = parse("cxlint-api-catalog\t99\n").unwrap_err();
        assert!(e.message.contains("format version 99"), "{e}");
        let e = parse("cxlint-api-catalog\t1\nbogus\tx\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("cxlint-api-catalog\t1\nf\tcode\tstring\t0\n").unwrap_err();
        assert!(e.message.contains("outside a model"));
        assert!(parse("").is_err());
        let e = parse_models("model\tM\nf\ta\tstring\t2\n", 10).unwrap_err();
        assert_eq!(e.line, 11);
        assert!(parse_models("model\tM\nop\tGET\n", 1).is_err());
    }

    #[test]
    fn parses_a_minimal_catalog() {
        let text = "cxlint-api-catalog\t1\n\
            op\tGET\t/api/v2/x/{id}\t-\tgetX\t-\t?\t?\t\t-\t-\t\tGet x\n\
            tf\tgenesyscloud_x\tx\tx:y:view\tx\tGET /api/v2/x/{id}\n\
            model\tM\nf\ta\tstring\t1\n";
        let c = parse(text).unwrap();
        let op = &c.operations()[0];
        assert_eq!(op.scopes, None);
        assert_eq!(op.permissions.kind, PermissionKind::Unknown);
        assert_eq!(op.operation_id, None);
        assert_eq!(op.sdk_method, Some("getX"));
        assert_eq!(op.seg_count, 2);
        assert!(c.model("M").unwrap().fields[0].required);
        assert_eq!(
            c.resource_permissions("genesyscloud_x")
                .unwrap()
                .endpoints
                .len(),
            1
        );
    }
}

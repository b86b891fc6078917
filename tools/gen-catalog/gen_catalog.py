#!/usr/bin/env python3
"""Generate cxlint's embedded Platform API catalog from the shared reference data.

Reads `genesys-api-operations.json` and `terraform-resource-permissions-v1.82.0.json` from the data
directory (argument, default `../shared/data` relative to the repository root) and writes
`data/api-catalog.tsv` and `data/PROVENANCE.md` in the repository. Python 3 standard library only.

    python3 tools/gen-catalog/gen_catalog.py [DATA_DIR]          # regenerate
    python3 tools/gen-catalog/gen_catalog.py --check [DATA_DIR]  # exit 1 when the committed files differ

DATA_DIR defaults to $CXLINT_SHARED_DATA, else ../shared/data (or ../../shared/data from a git
worktree one level deeper) relative to the repository root.

The artifact is a line-oriented, tab-separated text file so that the Rust side can borrow every
string straight from the embedded bytes (no allocation per string, no JSON parse) and so that
regenerations diff readably. The format is described in data/PROVENANCE.md and parsed by
src/catalog/tables.rs (at build time, by build.rs); bump FORMAT_VERSION in both when it changes.
"""

import hashlib
import json
import os
import re
import sys

FORMAT_VERSION = 1
GENERATOR_VERSION = 1
OPERATIONS_FILE = "genesys-api-operations.json"
TERRAFORM_FILE = "terraform-resource-permissions-v1.82.0.json"
METHOD_ORDER = {"GET": 0, "HEAD": 1, "POST": 2, "PUT": 3, "PATCH": 4, "DELETE": 5}

REPO_ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT_CATALOG = os.path.join(REPO_ROOT, "data", "api-catalog.tsv")
OUT_PROVENANCE = os.path.join(REPO_ROOT, "data", "PROVENANCE.md")

ARRAY_RE = re.compile(r"^Array<(.*)>$")
MAP_RE = re.compile(r"^\{ \[key: string\]: (.*)$")


class GenError(Exception):
    pass


def clean(text, what):
    """A single-line field: tabs and newlines would break the format, so fold whitespace."""
    text = " ".join(str(text).split())
    if "\t" in text or "\n" in text:
        raise GenError(f"unexpected control character in {what}: {text!r}")
    return text


def plain(text, what):
    """A name-like field that must be emitted verbatim: refuse anything the format cannot carry."""
    text = str(text)
    if not text or any(c in text for c in "\t\n\r,") or text in ("-", "?"):
        raise GenError(f"{what} cannot be written to the catalog: {text!r}")
    return text


def type_names(ty):
    """Model names a field or body type refers to (`Array<X>`, `X[]`, `{ [key: string]: X`)."""
    m = ARRAY_RE.match(ty)
    if m:
        return type_names(m.group(1))
    if ty.endswith("[]"):
        return type_names(ty[:-2])
    m = MAP_RE.match(ty)
    if m:
        return type_names(m.group(1))
    return [ty]


def is_permission(p):
    # The SDK docs render a sentence instead of a permission for one operation ("They are enforced by
    # the backend"); a real permission never contains whitespace.
    return bool(p) and not any(c.isspace() for c in p) and "," not in p


def request_models(operations, models):
    """Names of the models reachable from request bodies: all that body validation can need."""
    seen = set()
    stack = []
    for op in operations.values():
        if op.get("bodySchema"):
            stack.extend(type_names(op["bodySchema"]))
    while stack:
        name = stack.pop()
        if name in seen or name not in models:
            continue
        seen.add(name)
        for field in models[name].values():
            stack.extend(type_names(field["type"]))
    return sorted(seen)


def op_line(op):
    method = plain(op["method"], "method")
    path = plain(op["path"], "path")
    flags = "".join(
        letter
        for letter, key in (
            ("b", "bodyRequired"),
            ("d", "deprecated"),
            ("p", "preview"),
            ("r", "removedInSdk259"),
            ("a", "absentFromSdk259"),
        )
        if op.get(key)
    )
    # Scopes: `?` = the source has no scope figure (unknown, never "none required");
    # empty = the swagger lists no scope for the operation.
    if "scopes" in op:
        scopes = ",".join(plain(s, "scope") for s in op["scopes"])
    else:
        scopes = "?"
    perms = op.get("permissions")
    if perms is None:
        ptype, plist = "?", []
    else:
        ptype = perms.get("type") or "?"
        if ptype not in ("ANY", "ALL", "NO"):
            raise GenError(f"unknown permission type {ptype!r} for {method} {path}")
        plist = [p for p in perms.get("list", []) if is_permission(p)]
        if ptype != "NO" and not plist:
            ptype = "?"
    fields = [
        "op",
        method,
        path,
        plain(op["operationId"], "operationId") if op.get("operationId") else "-",
        plain(op["sdkMethod"], "sdkMethod") if op.get("sdkMethod") else "-",
        flags or "-",
        scopes,
        ptype,
        ",".join(plist),
        clean(op["bodySchema"], "bodySchema") if op.get("bodySchema") else "-",
        clean(op["responseType"], "responseType") if op.get("responseType") else "-",
        ",".join(plain(q, "query parameter") for q in op.get("queryParams", [])),
        clean(op.get("summary", ""), "summary"),
    ]
    return "\t".join(fields)


def sha256_of(path):
    with open(path, "rb") as f:
        data = f.read()
    return hashlib.sha256(data).hexdigest(), len(data), data


def generate(data_dir):
    ops_path = os.path.join(data_dir, OPERATIONS_FILE)
    tf_path = os.path.join(data_dir, TERRAFORM_FILE)
    ops_sha, ops_len, ops_bytes = sha256_of(ops_path)
    tf_sha, tf_len, tf_bytes = sha256_of(tf_path)
    api = json.loads(ops_bytes)
    tf = json.loads(tf_bytes)
    operations = api["operations"]
    models = api["models"]

    lines = [f"cxlint-api-catalog\t{FORMAT_VERSION}"]
    lines.append(f"generator\tgen_catalog.py\t{GENERATOR_VERSION}")
    lines.append(f"source\t{OPERATIONS_FILE}\t{ops_sha}\t{ops_len}")
    lines.append(f"source\t{TERRAFORM_FILE}\t{tf_sha}\t{tf_len}")
    lines.append("api-meta\t" + json.dumps(api.get("_meta", {}), sort_keys=True, separators=(",", ":")))
    lines.append(f"terraform-version\t{clean(tf.get('version', '?'), 'version')}")

    ordered = sorted(operations.values(), key=lambda o: (o["path"], METHOD_ORDER.get(o["method"], 9)))
    for op in ordered:
        lines.append(op_line(op))

    resources = sorted(tf["resources"], key=lambda r: r["resource_type"])
    for res in resources:
        lines.append(
            "\t".join(
                [
                    "tf",
                    plain(res["resource_type"], "resource type"),
                    plain(res["resource_name"], "resource name"),
                    ",".join(plain(p, "permission") for p in res.get("permissions", [])),
                    ",".join(plain(s, "scope") for s in res.get("scopes", [])),
                    ",".join(clean(e, "endpoint") for e in res.get("endpoints", [])),
                ]
            )
        )
    kept = request_models(operations, models)
    field_count = 0
    for name in kept:
        lines.append("model\t" + plain(name, "model name"))
        for fname, field in models[name].items():
            req = "1" if field.get("required") else "0"
            lines.append("\t".join(["f", plain(fname, "field name"), clean(field["type"], "field type"), req]))
            field_count += 1

    catalog = "\n".join(lines) + "\n"

    dropped = sorted(
        {p for op in operations.values() for p in (op.get("permissions") or {}).get("list", []) if not is_permission(p)}
    )
    provenance = PROVENANCE_TEMPLATE.format(
        ops_file=OPERATIONS_FILE,
        ops_sha=ops_sha,
        ops_len=ops_len,
        tf_file=TERRAFORM_FILE,
        tf_sha=tf_sha,
        tf_len=tf_len,
        tf_version=tf.get("version", "?"),
        generator=GENERATOR_VERSION,
        format=FORMAT_VERSION,
        n_ops=len(ordered),
        n_models_all=len(models),
        n_models=len(kept),
        n_fields=field_count,
        n_tf=len(resources),
        dropped=", ".join(f"`{d}`" for d in dropped) or "none",
        meta=json.dumps(api.get("_meta", {}), indent=2, sort_keys=True),
    )
    return catalog, provenance


PROVENANCE_TEMPLATE = """# Provenance of data/api-catalog.tsv

Generated by `tools/gen-catalog/gen_catalog.py` (generator version {generator}, format version {format}).
Do not edit by hand. To regenerate after the reference data changes (Python 3, standard library only):

```sh
python3 tools/gen-catalog/gen_catalog.py [DATA_DIR]          # rewrite data/
python3 tools/gen-catalog/gen_catalog.py --check [DATA_DIR]  # verify (also run by `cargo test`)
```

`DATA_DIR` defaults to `$CXLINT_SHARED_DATA`, else `../shared/data` (or `../../shared/data` from a
git worktree one level deeper) relative to the repository root.

## Sources

| file | sha256 | bytes |
|---|---|---|
| `{ops_file}` | `{ops_sha}` | {ops_len} |
| `{tf_file}` | `{tf_sha}` | {tf_len} |

Terraform provider permission map version: `{tf_version}` (published with provider tag v1.82.0).

## Contents

- {n_ops} operations, sorted by path then method.
- {n_models} of the {n_models_all} models: only those reachable from a request body (body validation
  needs nothing else), {n_fields} fields.
- {n_tf} Terraform resource types with the permissions, scopes and endpoints they need.

Normalisations (everything else is copied verbatim):
- Operations without a scope figure are written with scopes `?` (unknown), never as "none required";
  operations whose swagger entry lists no scope have an empty scope list.
- Permission entries that are not permissions (sentences from the SDK docs) are dropped: {dropped}.
  An ANY/ALL requirement left with no permission becomes `?` (unknown).
- Summaries have runs of whitespace folded to one space.

## Format

UTF-8, one record per line, fields separated by tabs, lists comma-separated; `-` = absent value.

```
cxlint-api-catalog  <format version>
generator           gen_catalog.py  <generator version>
source              <file>  <sha256>  <bytes>
api-meta            <the source's _meta block, compact JSON>
terraform-version   <version>
op     METHOD  PATH  operationId  sdkMethod  flags  scopes  permType  permissions  body  response  queryParams  summary
tf     resource_type  resource_name  permissions  scopes  endpoints
model  Name
f      field  type  required(0|1)                (fields of the preceding model)
```

Records come in this order, the models last. `build.rs` parses the text into integer tables
(strings are offsets into it), so a run reads the tables, never the text.

`flags`: `b` body required, `d` deprecated, `p` preview, `r` removed in SDK 259, `a` absent from
SDK 259. `scopes`: `?` unknown. `permType`: `ANY`, `ALL`, `NO`, or `?` unknown.

## The source's `_meta` block

```json
{meta}
```
"""


def default_data_dir():
    """`$CXLINT_SHARED_DATA`, else the first of `../shared/data` and `../../shared/data` (a git
    worktree one level deeper) relative to the repository root that exists."""
    env = os.environ.get("CXLINT_SHARED_DATA")
    if env:
        return env
    candidates = [os.path.join(REPO_ROOT, *([".."] * up), "shared", "data") for up in (1, 2)]
    for c in candidates:
        if os.path.exists(os.path.join(c, OPERATIONS_FILE)):
            return os.path.normpath(c)
    return os.path.normpath(candidates[0])


def main(argv):
    check = False
    args = []
    for a in argv[1:]:
        if a == "--check":
            check = True
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            args.append(a)
    data_dir = args[0] if args else default_data_dir()
    try:
        catalog, provenance = generate(data_dir)
    except (OSError, KeyError, ValueError, GenError) as e:
        print(f"gen_catalog: {e}", file=sys.stderr)
        return 2
    outputs = [(OUT_CATALOG, catalog), (OUT_PROVENANCE, provenance)]
    if check:
        stale = []
        for path, text in outputs:
            try:
                with open(path, encoding="utf-8", newline="") as f:
                    current = f.read()
            except OSError:
                current = None
            if current != text:
                stale.append(os.path.relpath(path, REPO_ROOT))
        if stale:
            print("gen_catalog: out of date: " + ", ".join(stale), file=sys.stderr)
            print("run: python3 tools/gen-catalog/gen_catalog.py " + data_dir, file=sys.stderr)
            print(f"(sources read from {data_dir})", file=sys.stderr)
            return 1
        print("gen_catalog: data/ is up to date")
        return 0
    os.makedirs(os.path.dirname(OUT_CATALOG), exist_ok=True)
    for path, text in outputs:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    print(f"gen_catalog: wrote {os.path.relpath(OUT_CATALOG, REPO_ROOT)} ({len(catalog)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

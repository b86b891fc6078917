#!/usr/bin/env python3
"""Deterministic generator of Genesys Cloud "CX as Code" benchmark corpora for cxlint.

Writes, for one seed and one target size, a Terraform configuration of a fictional contact-centre
org (many teams, each with wrap-up codes, queues, outbound rule sets and campaigns, recording
retention policies, process-automation triggers, Architect flows, data actions, OAuth clients and
roles), with a known set of planted defects and an answer key listing them. Optionally also writes a
``terraform.tfstate`` (v4) of the same org, padded to a target size.

Output layout (``--out DIR``)::

    DIR/config/            the Terraform root module (lint this; run cxlint with this as cwd)
    DIR/answer-key.json    the planted findings (errors and warnings only), paths relative to config/
    DIR/terraform.tfstate  only with --state-mb: org state for ``cxlint check --state``
    DIR/manifest.json      sizes and counts (what was generated, for the benchmark report)

Three authoring styles are mixed, team by team, because real configurations mix them:

* ``flat``: resources in the root module, bare references, ``for_each`` wrap-up codes referenced as
  ``[for c in genesyscloud_routing_wrapupcode.x_all : c.id]`` and ``...x_all["Resolved"].id``;
* ``module``: one local module per concern (codes, queues, automation) wired through module
  outputs and inputs (``module.codes_x.ids`` -> ``var.code_ids["Resolved"]``);
* ``export``: the style ``genesyscloud_tf_export`` writes: sanitised labels, quoted
  ``"${type.label.id}"`` references, attributes in random order, everything in one file.

Determinism: all randomness comes from one SplitMix64 stream seeded by ``--seed`` (Python's own
``random`` is avoided because its algorithms may change between versions); ids are hashes of the
seed and the Terraform address. Same seed + same size = byte-identical output.

Standard library only; Python 3.8 or newer.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import time

# --------------------------------------------------------------------------------------------------
# Randomness


class Rng:
    """SplitMix64: tiny, fast enough, and fully specified here so output never depends on Python."""

    MASK = (1 << 64) - 1

    def __init__(self, seed: int):
        self.state = seed & self.MASK

    def next64(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        """Uniform-enough integer in [0, n); the modulo bias is irrelevant for a corpus."""
        return self.next64() % n

    def randint(self, lo: int, hi: int) -> int:
        return lo + self.below(hi - lo + 1)

    def chance(self, p: float) -> bool:
        return self.next64() < int(p * (1 << 64))

    def choice(self, seq):
        return seq[self.below(len(seq))]

    def shuffle(self, seq: list) -> None:
        for i in range(len(seq) - 1, 0, -1):
            j = self.below(i + 1)
            seq[i], seq[j] = seq[j], seq[i]

    def sample(self, seq, k: int) -> list:
        pool = list(seq)
        self.shuffle(pool)
        return pool[: max(0, min(k, len(pool)))]


def guid(seed: int, address: str) -> str:
    """A stable GUID for a Terraform address: what the org assigned when the object was created."""
    h = hashlib.sha1(f"{seed}:{address}".encode()).hexdigest()
    return f"{h[0:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


# --------------------------------------------------------------------------------------------------
# Vocabulary

DEPTS = [
    "Billing", "Sales", "Support", "Retention", "Collections", "Claims", "Onboarding", "Renewals",
    "Tech Support", "Customer Care", "Fraud", "Returns", "Bookings", "Loyalty", "Accounts",
    "Payments", "Logistics", "Warranty", "Service Desk", "Appointments",
]
SITES = [
    "Berlin", "Dublin", "Austin", "Sydney", "Tokyo", "Toronto", "Madrid", "Paris", "Denver", "Leeds",
    "Lyon", "Oslo", "Pune", "Manila", "Cork", "Lisbon", "Prague", "Warsaw", "Boston", "Chicago",
]
DISPOSITIONS = [
    "Resolved", "Escalated", "Callback Requested", "Sale Completed", "Wrong Number", "No Answer",
    "Voicemail Left", "Do Not Call", "Transferred", "Follow Up", "Complaint Logged", "Refund Issued",
    "Payment Taken", "Payment Plan", "Address Updated", "Password Reset", "Order Placed",
    "Order Cancelled", "Order Status", "Technical Issue", "Billing Query", "Account Closed",
    "Account Opened", "Upsell Accepted", "Upsell Declined", "Not Interested", "Busy", "Fax Tone",
    "Language Barrier", "Duplicate Contact", "Survey Completed", "Survey Declined", "Appointment Set",
    "Appointment Moved", "Appointment Cancelled", "Claim Filed", "Claim Status", "Fraud Reported",
    "Card Blocked", "Card Reissued", "Delivery Issue", "Return Authorised", "Warranty Claim",
    "Information Given", "Hung Up", "Abandoned", "Spam", "Test Call", "Internal Transfer",
    "Supervisor Requested", "Retention Offer Accepted", "Retention Offer Declined", "Contract Renewed",
    "Contract Cancelled", "Price Query", "Product Question", "Feature Request", "Bug Reported",
    "Outage Reported", "Service Restored", "Credit Check", "Identity Verified", "Identity Failed",
    "Consent Given", "Consent Withdrawn", "GDPR Request", "Promise To Pay", "Dispute Raised",
    "Dispute Resolved", "Wrong Department", "Call Dropped", "Customer Deceased", "Moved Away",
    "Competitor Offer", "Escalated To Legal", "Chargeback", "Loyalty Points Added", "Booking Made",
    "Booking Changed", "Booking Cancelled", "Quote Sent", "Quote Accepted", "Email Sent", "SMS Sent",
    "Callback Completed", "Left Message With Third Party", "Deferred", "Needs Review", "Closed No Action",
]
QUEUE_KINDS = [
    "Inbound", "Outbound", "Callback", "Email", "Chat", "Priority", "VIP", "Overflow", "Escalations",
    "After Hours", "Spanish", "French", "German", "Premium", "Basic", "Complaints",
]
DIVISIONS = [("emea", "EMEA"), ("amer", "Americas"), ("apac", "APAC"), ("shared", "Shared Services")]
ACW_PROMPTS = ["MANDATORY_TIMEOUT", "MANDATORY_TIMEOUT", "OPTIONAL", "MANDATORY", "MANDATORY_FORCED_TIMEOUT"]
SCOPES = [
    "conversations", "conversations:readonly", "routing", "routing:readonly", "users:readonly",
    "analytics:readonly", "architect:readonly", "outbound:readonly", "notifications",
    "user-basic-info", "presence:readonly", "recordings:readonly", "integrations:readonly",
]
# Real permissions (domain, entity, actions) from the Platform API catalog, for supervisor roles.
ROLE_POLICIES = [
    ("routing", "queue", ["view", "edit"]), ("routing", "wrapupCode", ["view"]),
    ("routing", "skill", ["assign"]), ("routing", "queueMember", ["manage"]),
    ("analytics", "conversationDetail", ["view"]), ("analytics", "conversationAggregate", ["view"]),
    ("analytics", "userDetail", ["view"]), ("recording", "recording", ["view"]),
    ("recording", "recordingSegment", ["view"]), ("quality", "evaluationForm", ["view"]),
    ("outbound", "campaign", ["view"]), ("outbound", "contactList", ["view"]),
    ("architect", "flow", ["view"]), ("architect", "datatable", ["view"]),
    ("integrations", "action", ["view"]), ("externalContacts", "contact", ["view", "edit"]),
    ("directory", "user", ["view"]), ("conversation", "communication", ["blindTransfer", "consultTransfer"]),
]
# Clean data actions: (method, path template, body or None, permissions the data-action role grants).
CLEAN_ACTIONS = [
    ("GET", "/api/v2/routing/queues/$${input.queueId}", None, "Get Queue"),
    ("GET", "/api/v2/routing/wrapupcodes/$${input.codeId}", None, "Get Wrap-up Code"),
    ("GET", "/api/v2/externalcontacts/contacts/$${input.contactId}", None, "Get External Contact"),
    ("GET", "/api/v2/users/$${input.userId}", None, "Get User"),
    ("GET", "/api/v2/analytics/conversations/$${input.conversationId}/details", None, "Get Conversation Details"),
    ("POST", "/api/v2/externalcontacts/contacts", "contact", "Create External Contact"),
    ("GET", "/api/v2/routing/queues/$${input.queueId}/wrapupcodes", None, "List Queue Wrap-up Codes"),
]
DATA_ACTION_POLICIES = [
    ("routing", "queue", ["view"]), ("routing", "wrapupCode", ["view", "edit"]),
    ("externalContacts", "contact", ["view", "add"]), ("analytics", "conversationDetail", ["view"]),
]

# The defect kinds planted, in the order they are handed out to teams (two per team, cycling).
DEFECTS = [
    "wac-ruleset", "unknown-wrapup-code", "unresolved-resource", "duplicate-wrapup-code-name",
    "mandatory-wrapup-without-codes", "hardcoded-secret", "unknown-oauth-scope",
    "client-credentials-without-roles", "unknown-api-endpoint", "api-method-not-allowed",
    "unknown-request-field", "wac-retention", "unknown-queue", "unresolved-var", "wac-trigger",
    "flow-file-not-found", "missing-flow-substitution", "unused-flow-substitution", "unresolved-local",
    "flow-secret",
]

# --------------------------------------------------------------------------------------------------
# Text helpers

MARK_RE = re.compile("\x01(\\d+)\x01")


def slug(s: str) -> str:
    """A hand-written label: lowercase words joined by underscores."""
    return re.sub(r"[^a-z0-9]+", "_", s.lower()).strip("_")


def export_label(s: str) -> str:
    """The exporter's sanitised label: unsafe characters become `_`, a leading digit gets `_`."""
    out = re.sub(r"[^A-Za-z0-9_-]", "_", s)
    return "_" + out if out[:1].isdigit() else out


def q(s: str) -> str:
    """An HCL quoted string."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def attrs(pairs, indent: int) -> str:
    """Attribute lines with `=` aligned as `terraform fmt` does within one run of attributes."""
    pad = " " * indent
    width = max((len(k) for k, _ in pairs), default=0)
    return "".join(f"{pad}{k.ljust(width)} = {v}\n" for k, v in pairs)


def hcl_list(items, indent: int, one_line_max: int = 3) -> str:
    """A list value: short ones on one line, long ones one element per line (as fmt leaves them)."""
    if len(items) <= one_line_max:
        return "[" + ", ".join(items) + "]"
    pad = " " * (indent + 2)
    return "[\n" + "".join(f"{pad}{it},\n" for it in items) + " " * indent + "]"


# --------------------------------------------------------------------------------------------------
# The answer key


class Key:
    """Planted findings. A finding is marked by a sentinel in the text, resolved to a line on write."""

    def __init__(self):
        self.entries = []

    def mark(self, rule: str, note: str, needs_state: bool = False, alts: int = 0) -> list:
        """Return `1 + alts` sentinels: the first marks the expected line, the rest acceptable ones."""
        idx = len(self.entries)
        self.entries.append({"rule": rule, "note": note, "needs_state": needs_state, "marks": []})
        out = []
        for i in range(1 + alts):
            out.append(f"\x01{idx * 8 + i}\x01")
        self.entries[idx]["n"] = 1 + alts
        return out

    def resolve(self, files: dict) -> list:
        """Strip sentinels from every file and return the key entries with file and line."""
        where = {}
        for path in sorted(files):
            text = files[path]
            if "\x01" not in text:
                continue
            lines = text.split("\n")
            for i, line in enumerate(lines):
                if "\x01" in line:
                    for m in MARK_RE.finditer(line):
                        where[int(m.group(1))] = (path, i + 1)
                    lines[i] = MARK_RE.sub("", line)
            files[path] = "\n".join(lines)
        result = []
        for idx, e in enumerate(self.entries):
            locs = [where.get(idx * 8 + i) for i in range(e["n"])]
            if locs[0] is None:
                raise SystemExit(f"internal error: mark {idx} ({e['rule']}) was not written")
            entry = {"rule": e["rule"], "file": locs[0][0], "line": locs[0][1]}
            alts = [{"file": f, "line": n} for (f, n) in (x for x in locs[1:] if x) if (f, n) != locs[0]]
            if alts:
                entry["also_accept"] = alts
            if e["needs_state"]:
                entry["needs_state"] = True
            entry["note"] = e["note"]
            result.append(entry)
        result.sort(key=lambda e: (e["file"], e["line"], e["rule"]))
        return result


# --------------------------------------------------------------------------------------------------
# The org model


class Queue:
    def __init__(self, key, name, codes, all_fe, acw):
        self.key = key          # label suffix / map key
        self.name = name        # display name
        self.codes = codes      # list of dispositions, or None when wrapup_codes is left unset
        self.all_fe = all_fe    # written as a `for` over the for_each codes
        self.acw = acw


class Team:
    def __init__(self, idx: int, rng: Rng):
        self.idx = idx
        self.key = f"t{idx:04d}"
        self.name = f"{DEPTS[idx % len(DEPTS)]} {SITES[(idx // len(DEPTS)) % len(SITES)]} {idx:04d}"
        r = rng.below(10)
        self.style = "flat" if r < 4 else ("module" if r < 8 else "export")
        self.division = rng.choice(DIVISIONS)
        disps = rng.sample(DISPOSITIONS, rng.randint(24, 44))
        n_fe = 0 if self.style == "export" else rng.randint(16, len(disps) - 5)
        self.fe = sorted(disps[:n_fe])
        self.singles = sorted(disps[n_fe:])
        self.codes = self.fe + self.singles
        kinds = rng.sample(QUEUE_KINDS, rng.randint(6, 12))
        self.queues = []
        for i, kind in enumerate(kinds):
            explicit = i == 0 or rng.chance(0.85)
            all_fe = explicit and i > 0 and bool(self.fe) and rng.chance(0.3)
            if not explicit:
                codes = None
            elif all_fe:
                codes = list(self.fe)
            else:
                # Dozens of codes, but always a few left out so a not-assigned code exists.
                codes = sorted(rng.sample(self.codes, rng.randint(12, min(40, len(self.codes) - 3))))
            acw = rng.choice(ACW_PROMPTS) if explicit else "MANDATORY_TIMEOUT"
            self.queues.append(Queue(slug(kind), f"{self.name} {kind}", codes, all_fe, acw))
        self.explicit = [qu for qu in self.queues if qu.codes is not None]
        self.unset = [qu for qu in self.queues if qu.codes is None]
        # Outbound: rule sets on explicit queues (sometimes only via the campaign), campaigns.
        self.rulesets = []
        for i in range(rng.randint(1, 3)):
            qu = rng.choice(self.explicit)
            rules = [sorted(rng.sample(qu.codes, rng.randint(1, 4))) for _ in range(rng.randint(1, 3))]
            self.rulesets.append({"key": f"rs{i + 1}", "queue": qu, "own_queue": rng.chance(0.7), "rules": rules})
        if self.unset and rng.chance(0.3):
            # A rule set on a queue whose codes are not managed here: unknown in config, fine in state.
            qu = rng.choice(self.unset)
            rules = [sorted(rng.sample(self.codes, 2))]
            self.rulesets.append({"key": f"rs{len(self.rulesets) + 1}", "queue": qu, "own_queue": True, "rules": rules})
        self.campaigns = [{"key": f"c{i + 1}", "queue": rs["queue"], "rulesets": [rs]} for i, rs in enumerate(self.rulesets)]
        # Retention policies: every code is offered by every queue of the same conditions block.
        self.retention = []
        for i in range(rng.randint(1, 2)):
            qs = rng.sample(self.explicit, min(len(self.explicit), rng.randint(1, 2)))
            common = sorted(set(qs[0].codes).intersection(*[set(x.codes) for x in qs[1:]]))
            if not common:
                qs = qs[:1]
                common = list(qs[0].codes)
            self.retention.append({"key": f"rp{i + 1}", "queues": qs, "codes": rng.sample(common, rng.randint(1, min(5, len(common))))})
        # Triggers on the ACW topic: a code, and usually the queue it must be offered by.
        self.triggers = []
        for i in range(rng.randint(1, 3)):
            if rng.chance(0.7):
                qu = rng.choice(self.explicit)
                self.triggers.append({"key": f"tr{i + 1}", "code": rng.choice(qu.codes), "queue": qu})
            else:
                self.triggers.append({"key": f"tr{i + 1}", "code": rng.choice(self.codes), "queue": None})
        self.menu_queues = rng.sample(self.queues, min(len(self.queues), rng.randint(2, 6)))
        self.actions = rng.sample(CLEAN_ACTIONS, rng.randint(3, 5))
        self.code_client = rng.chance(0.5)
        self.code_client_scopes = sorted(rng.sample(SCOPES, rng.randint(2, 5)))
        self.policies = rng.sample(ROLE_POLICIES, rng.randint(4, 8))
        self.defects = []


# --------------------------------------------------------------------------------------------------
# References, per style and context


class Refs:
    """How one team's objects are referenced from a given place (root or one of its modules)."""

    def __init__(self, team: Team, ctx: str):
        self.t = team
        self.ctx = ctx  # "root" (flat/export) | "codes" | "queues" | "automation" (module style)

    def code_label(self, disp: str) -> str:
        t = self.t
        if t.style == "export":
            return export_label(f"{t.name} - {disp}")
        if t.style == "flat":
            return f"{t.key}_all" if disp in t.fe else f"{t.key}_{slug(disp)}"
        return "all" if disp in t.fe else slug(disp)

    def code(self, disp: str) -> str:
        t = self.t
        if t.style == "module" and self.ctx != "codes":
            return f'var.code_ids["{disp}"]'
        label = self.code_label(disp)
        if t.style == "export":
            return f'"${{genesyscloud_routing_wrapupcode.{label}.id}}"'
        if disp in t.fe:
            return f'genesyscloud_routing_wrapupcode.{label}["{disp}"].id'
        return f"genesyscloud_routing_wrapupcode.{label}.id"

    def queue_label(self, qu: Queue) -> str:
        t = self.t
        if t.style == "export":
            return export_label(qu.name)
        return f"{t.key}_{qu.key}" if t.style == "flat" else qu.key

    def queue(self, qu: Queue) -> str:
        t = self.t
        if t.style == "module" and self.ctx == "automation":
            return f'var.queue_ids["{qu.key}"]'
        if t.style == "export":
            return f'"${{genesyscloud_routing_queue.{self.queue_label(qu)}.id}}"'
        return f"genesyscloud_routing_queue.{self.queue_label(qu)}.id"

    def queue_name(self, qu: Queue) -> str:
        t = self.t
        if t.style == "module" and self.ctx == "automation":
            return f'var.queue_names["{qu.key}"]'
        if t.style == "export":
            return f'"${{genesyscloud_routing_queue.{self.queue_label(qu)}.name}}"'
        return f"genesyscloud_routing_queue.{self.queue_label(qu)}.name"

    def local(self, name: str) -> str:
        """Labels of the team's other resources: prefixed in the shared root, bare in its modules."""
        t = self.t
        if t.style == "export":
            return export_label(f"{t.name} {name}")
        return f"{t.key}_{name}" if t.style == "flat" else name

    def ref(self, rtype: str, name: str, attr: str = "id") -> str:
        expr = f"{rtype}.{self.local(name)}.{attr}"
        return f'"${{{expr}}}"' if self.t.style == "export" else expr

    def division(self) -> str:
        t = self.t
        if t.style == "module":
            return "var.division_id"
        if t.style == "export":
            return f'"${{genesyscloud_auth_division.{t.division[0]}.id}}"'
        return f'local.division_ids["{t.division[0]}"]'

    def division_name(self) -> str:
        t = self.t
        if t.style == "module":
            return "var.division_name"
        if t.style == "export":
            return f'"${{genesyscloud_auth_division.{t.division[0]}.name}}"'
        return f"genesyscloud_auth_division.{t.division[0]}.name"


# --------------------------------------------------------------------------------------------------
# Rendering


class Render:
    """Renders blocks; in export style, attribute order is shuffled as the exporter's is."""

    def __init__(self, rng: Rng, style: str):
        self.rng = rng
        self.style = style

    def block(self, header: str, body: list, indent: int = 0) -> str:
        """`body` items: ("a", key, value) attributes or ("b", header, items) nested blocks."""
        items = list(body)
        if self.style == "export":
            self.rng.shuffle(items)
        pad = " " * indent
        out = [f"{pad}{header} {{\n"]
        run = []
        for it in items:
            if it[0] == "a":
                run.append((it[1], it[2]))
                continue
            if run:
                out.append(attrs(run, indent + 2))
                run = []
            out.append(self.block(it[1], it[2], indent + 2))
        if run:
            out.append(attrs(run, indent + 2))
        out.append(f"{pad}}}\n")
        return "".join(out)


def jsonencode_list(objs: list, indent: int, marks: dict = None) -> str:
    """`jsonencode([{...}, {...}])` with one object per line; `marks` maps object index -> sentinel."""
    pad = " " * (indent + 2)
    lines = []
    for i, o in enumerate(objs):
        body = ", ".join(f"{k} = {v}" for k, v in o)
        lines.append(f"{pad}{{ {body} }},{(marks or {}).get(i, '')}\n")
    return "jsonencode([\n" + "".join(lines) + " " * indent + "])"


# --------------------------------------------------------------------------------------------------
# Archy YAML


def inbound_flow_yaml(menu_keys: list) -> str:
    choices = []
    for i, k in enumerate(menu_keys):
        choices.append(
            f"          - menuTransferToAcd:\n"
            f"              name: Transfer {i + 1}\n"
            f"              dtmf: digit_{i + 1}\n"
            f"              targetQueue:\n"
            f"                lit:\n"
            f"                  name: \"{{{{queue_{k}}}}}\"\n"
        )
    return (
        "inboundCall:\n"
        "  name: \"{{flow_name}}\"\n"
        "  division: \"{{division}}\"\n"
        "  startUpRef: \"/inboundCall/menus/menu[Main Menu_10]\"\n"
        "  defaultLanguage: en-us\n"
        "  supportedLanguages:\n"
        "    en-us:\n"
        "      defaultLanguageSkill:\n"
        "        noValue: true\n"
        "  initialGreeting:\n"
        "    tts: Thank you for calling {{company}}.\n"
        "  menus:\n"
        "    - menu:\n"
        "        name: Main Menu\n"
        "        refId: Main Menu_10\n"
        "        audio:\n"
        "          tts: Please choose from the following options.\n"
        "        settingsMenu:\n"
        "          extensionDialingMaxDelay:\n"
        "            lit:\n"
        "              seconds: 1\n"
        "          listenForExtensionDialing:\n"
        "            lit: false\n"
        "          menuSelectionTimeout:\n"
        "            lit:\n"
        "              seconds: 5\n"
        "          repeatCount:\n"
        "            lit: 3\n"
        "        choices:\n" + "".join(choices)
    )


def workflow_yaml(extra_placeholder: str = "", secret: str = "") -> str:
    """An ACW workflow; with `secret` (a literal, then its answer-key sentinel), a variable holding
    a partner's API key written into the flow, as hand-built flows sometimes do."""
    secret_var = (
        "    - stringVariable:\n"
        "        name: Flow.partnerApiKey\n"
        "        initialValue:\n"
        f"          lit: {secret}\n"
        "        isInput: false\n"
        "        isOutput: false\n"
    ) if secret else ""
    return (
        "workflow:\n"
        "  name: \"{{flow_name}}\"\n"
        "  division: \"{{division}}\"\n"
        "  startUpRef: \"/workflow/states/state[Initial State_10]\"\n"
        "  defaultLanguage: en-us\n"
        "  supportedLanguages:\n"
        "    en-us:\n"
        "      none: true\n"
        "  variables:\n"
        "    - stringVariable:\n"
        "        name: Flow.conversationId\n"
        "        initialValue:\n"
        "          noValue: true\n"
        "        isInput: true\n"
        "        isOutput: false\n"
        + secret_var +
        "  states:\n"
        "    - state:\n"
        "        name: Initial State\n"
        "        refId: Initial State_10\n"
        "        actions:\n"
        "          - updateData:\n"
        "              name: Tag conversation\n"
        "              statements:\n"
        "                - string:\n"
        "                    variable: Flow.conversationId\n"
        f"                    value:\n"
        f"                      lit: \"{extra_placeholder or '{{company}}'}\"\n"
        "          - endWorkflow:\n"
        "              name: End Workflow\n"
        "              exitReason:\n"
        "                noValue: true\n"
    )


# --------------------------------------------------------------------------------------------------
# One team


class TeamWriter:
    """Writes one team's files in its style, planting its defects."""

    def __init__(self, team: Team, rng: Rng, key: Key, files: dict):
        self.t = team
        self.rng = rng
        self.key = key
        self.files = files
        self.r = Render(rng, team.style)

    # ---- paths -----------------------------------------------------------------------------------

    def path(self, concern: str) -> str:
        t = self.t
        if t.style == "export":
            return f"genesyscloud_{t.key}.tf"
        if t.style == "flat":
            return f"team_{t.key}_{concern}.tf"
        module = {"codes": "codes", "queues": "queues"}.get(concern, "automation")
        return f"modules/{module}_{t.key}/{concern}.tf"

    def flow_dir(self) -> str:
        t = self.t
        if t.style == "module":
            return f"modules/automation_{t.key}/flows"
        if t.style == "export":
            return "architect_flows"
        return "flows"

    def flow_path_expr(self, fname: str) -> str:
        """The `filepath` value: relative to the root for root files, `path.module` in modules."""
        if self.t.style == "module":
            return f'"${{path.module}}/flows/{fname}"'
        return q(f"{self.flow_dir()}/{fname}")

    def add(self, path: str, text: str) -> None:
        self.files[path] = self.files.get(path, "") + text

    def refs(self, ctx: str) -> Refs:
        return Refs(self.t, ctx if self.t.style == "module" else "root")

    # ---- wrap-up codes ---------------------------------------------------------------------------

    def codes(self) -> None:
        t, r, R = self.t, self.r, self.refs("codes")
        out = []
        if t.fe:
            label = R.code_label(t.fe[0])
            names = hcl_list([q(n) for n in t.fe], 2 if t.style == "module" else 4)
            if t.style == "module":
                out.append(f'locals {{\n  code_names = {names}\n}}\n\n')
                fe, name = "toset(local.code_names)", '"${var.prefix} - ${each.value}"'
            else:
                out.append(f'locals {{\n  {t.key}_code_names = {names}\n}}\n\n')
                fe, name = f"toset(local.{t.key}_code_names)", q(f"{t.name} - ") [:-1] + '${each.value}"'
            out.append(r.block(f'resource "genesyscloud_routing_wrapupcode" "{label}"', [
                ("a", "for_each", fe), ("a", "name", name), ("a", "division_id", R.division()),
                ("a", "description", '"Disposition ${each.value}"'),
            ]) + "\n")
        for d in t.singles:
            name = f'"${{var.prefix}} - {d}"' if t.style == "module" else q(f"{t.name} - {d}")
            body = [("a", "name", name), ("a", "division_id", R.division())]
            if self.rng.chance(0.5):
                body.append(("a", "description", q(f"{d} ({t.name})")))
            out.append(r.block(f'resource "genesyscloud_routing_wrapupcode" "{R.code_label(d)}"', body) + "\n")
        self.add(self.path("codes"), "".join(out))

    # ---- queues ----------------------------------------------------------------------------------

    def queue_codes_expr(self, qu: Queue, R: Refs, indent: int) -> str:
        t = self.t
        if qu.all_fe:
            if t.style == "module":
                # The module gets every code's id in one map; select this queue's by name.
                return f"[for name in local.code_names : var.code_ids[name]]"
            return f"[for c in genesyscloud_routing_wrapupcode.{t.key}_all : c.id]"
        return hcl_list([R.code(d) for d in qu.codes], indent)

    def queue_block(self, qu: Queue, R: Refs, codes_expr=None, extra=()) -> str:
        t, r = self.t, self.r
        body = [
            ("a", "name", q(qu.name) if t.style != "module" else f'"${{var.prefix}} {qu.name[len(t.name) + 1:]}"'),
            ("a", "division_id", R.division()),
            ("a", "description", f'"${{local.env_tag}} queue for {qu.name}"' if t.style == "flat" else q(f"Queue for {qu.name}")),
            ("a", "acw_wrapup_prompt", q(qu.acw)),
            ("a", "acw_timeout_ms", "var.acw_timeout_ms" if t.style != "export" else "300000"),
            ("a", "skill_evaluation_method", q("ALL")),
            ("a", "auto_answer_only", "true"),
            ("a", "enable_transcription", "false"),
            ("b", "media_settings_call", [("a", "alerting_timeout_sec", "8"), ("a", "service_level_percentage", "0.8"), ("a", "service_level_duration_ms", "20000")]),
            ("b", "media_settings_email", [("a", "alerting_timeout_sec", "300"), ("a", "service_level_percentage", "0.8"), ("a", "service_level_duration_ms", "86400000")]),
            ("b", "routing_rules", [("a", "operator", q("MEETS_THRESHOLD")), ("a", "threshold", "9"), ("a", "wait_seconds", "300")]),
        ]
        if codes_expr is not None:
            body.insert(4, ("a", "wrapup_codes", codes_expr))
        elif qu.codes is not None:
            body.insert(4, ("a", "wrapup_codes", self.queue_codes_expr(qu, R, 2)))
        body.extend(extra)
        return r.block(f'resource "genesyscloud_routing_queue" "{R.queue_label(qu)}"', body) + "\n"

    def queues(self) -> None:
        R = self.refs("queues")
        self.add(self.path("queues"), "".join(self.queue_block(qu, R) for qu in self.t.queues))

    # ---- outbound --------------------------------------------------------------------------------

    def ruleset_block(self, label: str, name: str, queue_expr, rules: list, R: Refs) -> str:
        """`rules` = list of code-expression lists (already rendered, possibly with sentinels)."""
        body = [("a", "name", q(name)), ("a", "contact_list_id", R.ref("genesyscloud_outbound_contact_list", "contacts"))]
        if queue_expr:
            body.append(("a", "queue_id", queue_expr))
        for i, codes in enumerate(rules):
            body.append(("b", "rules", [
                ("a", "name", q(f"Wrap-up rule {i + 1}")), ("a", "order", str(i)), ("a", "category", q("DIALER_WRAPUP")),
                ("b", "conditions", [("a", "type", q("wrapupCondition")), ("a", "inverted", "false"), ("a", "codes", hcl_list(codes, 6, 1))]),
                ("b", "actions", [("a", "type", q("Action")), ("a", "action_type_name", q("DO_NOT_DIAL"))]),
            ]))
        return self.r.block(f'resource "genesyscloud_outbound_ruleset" "{label}"', body) + "\n"

    def outbound(self) -> None:
        t, r, R = self.t, self.r, self.refs("automation")
        out = [r.block(f'resource "genesyscloud_outbound_contact_list" "{R.local("contacts")}"', [
            ("a", "name", q(f"{t.name} Contacts")),
            ("a", "column_names", '["First Name", "Last Name", "Cell", "Home"]'),
            ("b", "phone_columns", [("a", "column_name", q("Cell")), ("a", "type", q("cell"))]),
            ("b", "phone_columns", [("a", "column_name", q("Home")), ("a", "type", q("home"))]),
        ]) + "\n"]
        for rs in t.rulesets:
            rules = [[R.code(d) for d in codes] for codes in rs["rules"]]
            qexpr = R.queue(rs["queue"]) if rs["own_queue"] else None
            out.append(self.ruleset_block(R.local(rs["key"]), f"{t.name} Rules {rs['key']}", qexpr, rules, R))
        for c in t.campaigns:
            out.append(r.block(f'resource "genesyscloud_outbound_campaign" "{R.local(c["key"])}"', [
                ("a", "name", q(f"{t.name} Campaign {c['key']}")),
                ("a", "dialing_mode", q("preview")),
                ("a", "caller_name", q(t.name[:30])),
                ("a", "caller_address", q("+13175555555")),
                ("a", "contact_list_id", R.ref("genesyscloud_outbound_contact_list", "contacts")),
                ("a", "queue_id", R.queue(c["queue"])),
                ("a", "rule_set_ids", hcl_list([R.ref("genesyscloud_outbound_ruleset", rs["key"]) for rs in c["rulesets"]], 2)),
                ("a", "campaign_status", q("off")),
                ("a", "abandon_rate", "5"),
                ("a", "preview_time_out_seconds", "30"),
                ("a", "call_analysis_language", q("en-US")),
                ("a", "priority", "5"),
                ("b", "phone_columns", [("a", "column_name", q("Cell"))]),
            ]) + "\n")
        self.add(self.path("outbound"), "".join(out))

    # ---- recording retention ---------------------------------------------------------------------

    def retention_block(self, label: str, name: str, cond_sets: list) -> str:
        """`cond_sets` = list of (queue expressions, code expressions)."""
        conds = []
        for qexprs, cexprs in cond_sets:
            conds.append(("b", "conditions", [
                ("a", "for_queue_ids", hcl_list(qexprs, 8, 1)),
                ("a", "wrapup_code_ids", hcl_list(cexprs, 8, 1)),
                ("a", "directions", '["INBOUND", "OUTBOUND"]'),
                ("a", "date_ranges", '["2024-01-01T00:00:00.000Z/2030-01-01T00:00:00.000Z"]'),
            ]))
        policy = ("b", "call_policy", [
            ("b", "actions", [
                ("a", "retain_recording", "true"), ("a", "delete_recording", "false"), ("a", "always_delete", "false"),
                ("b", "retention_duration", [
                    ("b", "archive_retention", [("a", "days", "90"), ("a", "storage_medium", q("CLOUDARCHIVE"))]),
                    ("b", "delete_retention", [("a", "days", "365")]),
                ]),
            ]),
        ] + conds)
        return self.r.block(f'resource "genesyscloud_recording_media_retention_policy" "{label}"', [
            ("a", "name", q(name)), ("a", "order", "1"), ("a", "description", q(f"Retention for {name}")),
            ("a", "enabled", "true"), ("b", "media_policies", [policy]),
        ]) + "\n"

    def retention(self) -> None:
        t, R = self.t, self.refs("automation")
        out = []
        for rp in t.retention:
            out.append(self.retention_block(R.local(rp["key"]), f"{t.name} {rp['key']}",
                                            [([R.queue(x) for x in rp["queues"]], [R.code(d) for d in rp["codes"]])]))
        self.add(self.path("retention"), "".join(out))

    # ---- triggers --------------------------------------------------------------------------------

    def trigger_block(self, label: str, name: str, code_expr: str, queue_expr, code_mark: str = "", R=None) -> str:
        crit = [[("jsonPath", q("wrapupCode")), ("operator", q("Equal")), ("value", code_expr)]]
        if queue_expr:
            crit.append([("jsonPath", q("queueId")), ("operator", q("Equal")), ("value", queue_expr)])
        crit.append([("jsonPath", q("mediaType")), ("operator", q("Equal")), ("value", q("VOICE"))])
        return self.r.block(f'resource "genesyscloud_processautomation_trigger" "{label}"', [
            ("a", "name", q(name)),
            ("a", "topic_name", q("v2.detail.events.conversation.{id}.acw")),
            ("a", "enabled", "var.triggers_enabled" if self.t.style != "export" else "true"),
            ("b", "target", [("a", "id", R.ref("genesyscloud_flow", "workflow")), ("a", "type", q("Workflow"))]),
            ("a", "match_criteria", jsonencode_list(crit, 2, {0: code_mark} if code_mark else None)),
            ("a", "event_ttl_seconds", "60"),
            ("a", "description", q(f"After-call work automation for {self.t.name}")),
        ]) + "\n"

    def triggers(self) -> None:
        t, R = self.t, self.refs("automation")
        out = []
        for tr in t.triggers:
            qexpr = R.queue(tr["queue"]) if tr["queue"] else None
            out.append(self.trigger_block(R.local(tr["key"]), f"{t.name} ACW {tr['key']}", R.code(tr["code"]), qexpr, R=R))
        self.add(self.path("triggers"), "".join(out))

    # ---- flows -----------------------------------------------------------------------------------

    def flow_block(self, label: str, fname: str, subs: list, R: Refs, subs_marks: dict = None, hashed: bool = True) -> str:
        """`subs` = list of (key, expression); the map is written one entry per line."""
        marks = subs_marks or {}
        width = max(len(k) for k, _ in subs)
        lines = "".join(f"    {k.ljust(width)} = {v}{marks.get(k, '')}\n" for k, v in subs)
        body = [("a", "filepath", self.flow_path_expr(fname)), ("a", "substitutions", "{\n" + lines + "  }")]
        # A content hash makes Terraform redeploy on edits; only for files that exist.
        if hashed and self.t.style == "module" and self.rng.chance(0.5):
            body.append(("a", "file_content_hash", f'filesha256("${{path.module}}/flows/{fname}")'))
        return self.r.block(f'resource "genesyscloud_flow" "{label}"', body) + "\n"

    def flow_fname(self, what: str) -> str:
        t = self.t
        if t.style == "export":
            kind = "INBOUNDCALL" if what == "inbound" else "WORKFLOW"
            return f"{export_label(t.name + ' ' + what)}-{kind}-{guid(t.idx, what)}.yaml"
        return f"{t.key}_{what}.yaml" if t.style == "flat" else f"{what}.yaml"

    def flows(self) -> None:
        t, R = self.t, self.refs("automation")
        company = "var.company_name" if t.style != "export" else q("Example Corp")
        menu = [qu.key for qu in t.menu_queues]
        self.files[f"{self.flow_dir()}/{self.flow_fname('inbound')}"] = inbound_flow_yaml(menu)
        self.files[f"{self.flow_dir()}/{self.flow_fname('workflow')}"] = workflow_yaml()
        subs = [("flow_name", q(f"{t.name} Inbound")), ("division", R.division_name()), ("company", company)]
        subs += [(f"queue_{qu.key}", R.queue_name(qu)) for qu in t.menu_queues]
        out = self.flow_block(R.local("inbound"), self.flow_fname("inbound"), subs, R)
        out += self.flow_block(R.local("workflow"), self.flow_fname("workflow"),
                               [("flow_name", q(f"{t.name} ACW Workflow")), ("division", R.division_name()), ("company", company)], R)
        self.add(self.path("flows"), out)

    # ---- data actions, OAuth, roles --------------------------------------------------------------

    def action_block(self, label: str, name: str, method: str, url: str, body_tmpl: str, R: Refs,
                     url_mark: str = "", method_mark: str = "", body_mark: str = "") -> str:
        contract_in = 'jsonencode({\n    "$schema" = "http://json-schema.org/draft-04/schema#"\n    title     = "Request"\n    type      = "object"\n    properties = {\n      id = { type = "string" }\n    }\n    additionalProperties = true\n  })'
        contract_out = 'jsonencode({\n    "$schema" = "http://json-schema.org/draft-04/schema#"\n    title     = "Response"\n    type      = "object"\n    properties = {\n      name = { type = "string" }\n    }\n    additionalProperties = true\n  })'
        req = [
            ("a", "request_url_template", q(url) + url_mark),
            ("a", "request_type", q(method) + method_mark),
            ("a", "request_template", body_tmpl + body_mark),
            ("a", "headers", '{\n      Content-Type = "application/json"\n    }'),
        ]
        return self.r.block(f'resource "genesyscloud_integration_action" "{label}"', [
            ("a", "name", q(name)), ("a", "category", q(f"{self.t.name} Actions")),
            ("a", "integration_id", R.ref("genesyscloud_integration", "data_actions")),
            ("a", "secure", "false"),
            ("a", "contract_input", contract_in), ("a", "contract_output", contract_out),
            ("b", "config_request", req),
            ("b", "config_response", [("a", "translation_map", "{\n      name = \"$.name\"\n    }"), ("a", "success_template", q("$${rawResult}"))]),
        ]) + "\n"

    def integrations(self) -> None:
        t, r, R = self.t, self.r, self.refs("automation")
        out = [r.block(f'resource "genesyscloud_auth_role" "{R.local("data_actions_role")}"', [
            ("a", "name", q(f"{t.name} Data Actions")), ("a", "description", q("Permissions the data actions need")),
        ] + [("b", "permission_policies", [("a", "domain", q(d)), ("a", "entity_name", q(e)), ("a", "action_set", json.dumps(a))])
             for d, e, a in DATA_ACTION_POLICIES]) + "\n"]
        out.append(r.block(f'resource "genesyscloud_oauth_client" "{R.local("data_actions_client")}"', [
            ("a", "name", q(f"{t.name} Data Actions Client")),
            ("a", "authorized_grant_type", q("CLIENT-CREDENTIALS")),
            ("a", "access_token_validity_seconds", "86400"),
            ("a", "state", q("active")),
            ("b", "roles", [("a", "role_id", R.ref("genesyscloud_auth_role", "data_actions_role")), ("a", "division_id", q("*"))]),
        ]) + "\n")
        out.append(r.block(f'resource "genesyscloud_integration_credential" "{R.local("data_actions_cred")}"', [
            ("a", "name", q(f"{t.name} Data Actions Credential")),
            ("a", "credential_type_name", q("pureCloudOAuthClient")),
            ("a", "fields", "{\n    clientId     = " + R.ref("genesyscloud_oauth_client", "data_actions_client", "client_id")
             + "\n    clientSecret = " + R.ref("genesyscloud_oauth_client", "data_actions_client", "client_secret") + "\n  }"),
        ]) + "\n")
        out.append(r.block(f'resource "genesyscloud_integration" "{R.local("data_actions")}"', [
            ("a", "intended_state", q("ENABLED")),
            ("a", "integration_type", q("purecloud-data-actions")),
            ("b", "config", [("a", "name", q(f"{t.name} Data Actions")),
                             ("a", "credentials", "{\n      pureCloudOAuthClient = " + R.ref("genesyscloud_integration_credential", "data_actions_cred") + "\n    }")]),
        ]) + "\n")
        for i, (method, url, body, name) in enumerate(t.actions):
            tmpl = q("$${input.rawRequest}")
            if body == "contact":
                tmpl = 'jsonencode({\n      firstName = "$${input.firstName}"\n      lastName  = "$${input.lastName}"\n      workEmail = "$${input.email}"\n    })'
            out.append(self.action_block(R.local(f"action_{i + 1}"), f"{t.name} {name}", method, url, tmpl, R))
        if t.code_client:
            out.append(r.block(f'resource "genesyscloud_oauth_client" "{R.local("agent_app")}"', [
                ("a", "name", q(f"{t.name} Agent App")),
                ("a", "authorized_grant_type", q("CODE")),
                ("a", "registered_redirect_uris", q_list([f"https://apps.example.com/{t.key}/callback"])),
                ("a", "scopes", json.dumps(t.code_client_scopes).replace('", "', '", "')),
                ("a", "access_token_validity_seconds", "3600"),
            ]) + "\n")
        out.append(r.block(f'resource "genesyscloud_auth_role" "{R.local("supervisor")}"', [
            ("a", "name", q(f"{t.name} Supervisor")), ("a", "description", q(f"Supervisors of {t.name}")),
        ] + [("b", "permission_policies", [("a", "domain", q(d)), ("a", "entity_name", q(e)), ("a", "action_set", json.dumps(a))])
             for d, e, a in t.policies]) + "\n")
        self.add(self.path("integrations"), "".join(out))

    # ---- module plumbing -------------------------------------------------------------------------

    def module_files(self) -> None:
        t = self.t
        base = f"modules/%s_{t.key}"
        common = ('variable "prefix" {\n  type        = string\n  description = "Display-name prefix of the team"\n}\n\n'
                  'variable "division_id" {\n  type = string\n}\n\n')
        acw = 'variable "acw_timeout_ms" {\n  type    = number\n  default = 300000\n}\n\n'
        code_ids = 'variable "code_ids" {\n  type        = map(string)\n  description = "Wrap-up code ids by disposition name"\n}\n\n'
        self.add(base % "codes" + "/variables.tf", common)
        self.add(base % "queues" + "/variables.tf", common + acw + code_ids + (
            'variable "code_names" {\n  type    = list(string)\n  default = []\n}\n\n'))
        self.add(base % "automation" + "/variables.tf", common + code_ids + (
            'variable "division_name" {\n  type = string\n}\n\n'
            'variable "company_name" {\n  type = string\n}\n\n'
            'variable "triggers_enabled" {\n  type    = bool\n  default = true\n}\n\n'
            'variable "queue_ids" {\n  type = map(string)\n}\n\n'
            'variable "queue_names" {\n  type = map(string)\n}\n\n'))
        # codes outputs: every code id by disposition name.
        parts = []
        if t.fe:
            parts.append("{ for name, c in genesyscloud_routing_wrapupcode.all : name => c.id }")
        width = max(len(q(d)) for d in t.singles)
        singles = "".join(f'      {q(d).ljust(width)} = genesyscloud_routing_wrapupcode.{slug(d)}.id\n' for d in t.singles)
        parts.append("{\n" + singles + "    }")
        self.add(base % "codes" + "/outputs.tf",
                 'output "ids" {\n  description = "Wrap-up code ids by disposition name"\n  value = merge(\n    '
                 + ",\n    ".join(parts) + "\n  )\n}\n\n"
                 + ('output "names" {\n  value = local.code_names\n}\n' if t.fe else 'output "names" {\n  value = []\n}\n'))
        width = max(len(qu.key) for qu in t.queues)
        qids = "".join(f"    {qu.key.ljust(width)} = genesyscloud_routing_queue.{qu.key}.id\n" for qu in t.queues)
        qnames = "".join(f"    {qu.key.ljust(width)} = genesyscloud_routing_queue.{qu.key}.name\n" for qu in t.queues)
        self.add(base % "queues" + "/outputs.tf",
                 'output "ids" {\n  value = {\n' + qids + '  }\n}\n\noutput "names" {\n  value = {\n' + qnames + "  }\n}\n")
        if t.fe:
            self.add(base % "queues" + "/main.tf", "locals {\n  code_names = var.code_names\n}\n\n")
        div = f"genesyscloud_auth_division.{t.division[0]}"
        root = (
            f'module "codes_{t.key}" {{\n  source      = "./modules/codes_{t.key}"\n  prefix      = {q(t.name)}\n  division_id = {div}.id\n}}\n\n'
            f'module "queues_{t.key}" {{\n  source         = "./modules/queues_{t.key}"\n  prefix         = {q(t.name)}\n'
            f'  division_id    = {div}.id\n  acw_timeout_ms = var.acw_timeout_ms\n  code_ids       = module.codes_{t.key}.ids\n'
            f'  code_names     = module.codes_{t.key}.names\n}}\n\n'
            f'module "automation_{t.key}" {{\n  source           = "./modules/automation_{t.key}"\n  prefix           = {q(t.name)}\n'
            f'  division_id      = {div}.id\n  division_name    = {div}.name\n  company_name     = var.company_name\n'
            f'  triggers_enabled = var.triggers_enabled\n  code_ids         = module.codes_{t.key}.ids\n'
            f'  queue_ids        = module.queues_{t.key}.ids\n  queue_names      = module.queues_{t.key}.names\n}}\n\n'
        )
        self.add(f"team_{t.key}.tf", root)

    # ---- defects ---------------------------------------------------------------------------------

    def plant(self, kind: str) -> None:
        t, r, k = self.t, self.r, self.key
        RA, RQ, RC = self.refs("automation"), self.refs("queues"), self.refs("codes")
        rng = self.rng
        subset_q = t.queues[0]  # always explicit with a strict subset of the codes
        missing = [d for d in t.codes if d not in subset_q.codes]
        tag = f"{t.key}/{kind}"
        if kind == "wac-ruleset":
            d = rng.choice(missing)
            m, = k.mark("wrapup-code-not-assigned", f"{tag}: rule set uses `{d}`, not on queue `{subset_q.name}`")
            rules = [[RA.code(subset_q.codes[0]), RA.code(d) + m]]
            self.add(self.path("outbound"), self.ruleset_block(RA.local("rs_defect"), f"{t.name} Defect Rules", RA.queue(subset_q), rules, RA))
        elif kind == "wac-retention":
            d = rng.choice(missing)
            m, = k.mark("wrapup-code-not-assigned", f"{tag}: retention policy code `{d}` offered by none of its queues")
            self.add(self.path("retention"), self.retention_block(RA.local("rp_defect"), f"{t.name} Defect Retention",
                                                                   [([RA.queue(subset_q)], [RA.code(d) + m])]))
        elif kind == "wac-trigger":
            d = rng.choice(missing)
            m, a1 = k.mark("wrapup-code-not-assigned", f"{tag}: trigger code `{d}` not on queue `{subset_q.name}`", alts=1)
            self.add(self.path("triggers"), self.trigger_block(RA.local("tr_defect"), f"{t.name} Defect Trigger", RA.code(d),
                                                               RA.queue(subset_q), code_mark=m, R=RA).replace("jsonencode([\n", "jsonencode([" + a1 + "\n", 1))
        elif kind in ("unknown-wrapup-code", "unknown-queue"):
            rtype = "genesyscloud_routing_wrapupcode" if kind == "unknown-wrapup-code" else "genesyscloud_routing_queue"
            name = f"{t.name} Legacy {'Disposition' if kind == 'unknown-wrapup-code' else 'Queue'}"
            m, a1 = k.mark(kind, f"{tag}: data source looks up `{name}`, which exists neither in config nor in org state",
                           needs_state=True, alts=1)
            self.add(self.path("outbound"), f'data "{rtype}" "{RA.local("legacy_" + kind.split("-")[1])}" {{{a1}\n  name = {q(name)}{m}\n}}\n\n')
        elif kind.startswith("unresolved-"):
            which = kind.split("-")[1]
            qu = Queue("defect_overflow", f"{t.name} Defect Overflow", [], False, "OPTIONAL")
            if which == "resource":
                bad = (f'"${{genesyscloud_routing_wrapupcode.{export_label(t.name + " - Resolvd")}.id}}"' if t.style == "export"
                       else f"genesyscloud_routing_wrapupcode.{RC.local('resolvd') if t.style == 'flat' else 'resolvd'}.id")
                m, = k.mark("unresolved-reference", f"{tag}: reference to undeclared wrap-up code resource")
                codes = hcl_list([RQ.code(subset_q.codes[0]), bad + m], 2, 1)
                self.add(self.path("queues"), self.queue_block(qu, RQ, codes_expr=codes))
            elif which == "var":
                m, = k.mark("unresolved-reference", f"{tag}: reference to undeclared variable")
                qu.name = f"{t.name} Defect Var"
                codes = hcl_list([RQ.code(subset_q.codes[0])], 2)
                self.add(self.path("queues"), self.queue_block(qu, RQ, codes_expr=codes,
                                                                extra=[("a", "calling_party_name", f"var.{t.key}_caller_name{m}")]))
            else:
                m, = k.mark("unresolved-reference", f"{tag}: reference to undeclared local value")
                qu.name = f"{t.name} Defect Local"
                codes = hcl_list([RQ.code(subset_q.codes[0])], 2)
                self.add(self.path("queues"), self.queue_block(qu, RQ, codes_expr=codes,
                                                                extra=[("a", "calling_party_number", f"local.{t.key}_caller_number{m}")]))
        elif kind == "duplicate-wrapup-code-name":
            d = rng.choice(t.codes)
            m, = k.mark(kind, f"{tag}: second wrap-up code named `{t.name} - {d}` (reported at the later declaration)")
            label = (export_label(f"{t.name} - {d}") + "_" + hashlib.sha1(d.encode()).hexdigest()[:6] if t.style == "export"
                     else RC.local("dup_" + slug(d)) if t.style == "flat" else "dup_" + slug(d))
            self.add(self.path("codes"), r.block(f'resource "genesyscloud_routing_wrapupcode" "{label}"', [
                ("a", "name", q(f"{t.name} - {d}") + m), ("a", "division_id", RC.division())]) + "\n")
        elif kind == "mandatory-wrapup-without-codes":
            qu = Queue("defect_mandatory", f"{t.name} Defect Mandatory", [], False, "MANDATORY")
            m, a1, a2 = k.mark(kind, f"{tag}: MANDATORY wrap-up with `wrapup_codes = []`", alts=2)
            block = self.queue_block(qu, RQ, codes_expr="[]" + m)
            block = block.replace('"MANDATORY"', '"MANDATORY"' + a1, 1).replace(" {\n", " {" + a2 + "\n", 1)
            self.add(self.path("queues"), block)
        elif kind == "hardcoded-secret":
            secret = hashlib.sha256(f"{t.idx}:secret".encode()).hexdigest()[:40]
            m, = k.mark(kind, f"{tag}: literal clientSecret in an integration credential")
            self.add(self.path("integrations"), r.block(f'resource "genesyscloud_integration_credential" "{RA.local("legacy_cred")}"', [
                ("a", "name", q(f"{t.name} Legacy Credential")), ("a", "credential_type_name", q("pureCloudOAuthClient")),
                ("a", "fields", "{\n    clientId     = " + q(guid(t.idx, "legacy-client")) + "\n    clientSecret = " + q(secret) + m + "\n  }"),
            ]) + "\n")
        elif kind == "unknown-oauth-scope":
            m, = k.mark(kind, f"{tag}: scope `conversation:write` does not exist")
            self.add(self.path("integrations"), r.block(f'resource "genesyscloud_oauth_client" "{RA.local("script_app")}"', [
                ("a", "name", q(f"{t.name} Script App")), ("a", "authorized_grant_type", q("TOKEN")),
                ("a", "registered_redirect_uris", q_list([f"https://scripts.example.com/{t.key}"])),
                ("a", "scopes", '["conversations:readonly", "conversation:write"]' + m),
            ]) + "\n")
        elif kind == "client-credentials-without-roles":
            m, a1 = k.mark(kind, f"{tag}: CLIENT-CREDENTIALS client with no roles", alts=1)
            block = r.block(f'resource "genesyscloud_oauth_client" "{RA.local("batch_client")}"', [
                ("a", "name", q(f"{t.name} Batch Client")), ("a", "authorized_grant_type", q("CLIENT-CREDENTIALS") + m),
                ("a", "access_token_validity_seconds", "86400")])
            self.add(self.path("integrations"), block.replace(" {\n", " {" + a1 + "\n", 1) + "\n")
        elif kind == "unknown-api-endpoint":
            m, a1 = k.mark(kind, f"{tag}: PATCH /api/v2/interactions/interactions/{{id}} does not exist", alts=1)
            self.add(self.path("integrations"), self.action_block(RA.local("action_defect_endpoint"), f"{t.name} Set Wrap-up (invented)", "PATCH",
                                                                  "/api/v2/interactions/interactions/$${input.interactionId}", q("$${input.rawRequest}"), RA,
                                                                  url_mark=m, method_mark=a1))
        elif kind == "api-method-not-allowed":
            m, a1 = k.mark(kind, f"{tag}: /api/v2/conversations/{{conversationId}} has GET and DELETE only", alts=1)
            self.add(self.path("integrations"), self.action_block(RA.local("action_defect_method"), f"{t.name} Patch Conversation", "PATCH",
                                                                  "/api/v2/conversations/$${input.conversationId}", q("$${input.rawRequest}"), RA,
                                                                  url_mark=m, method_mark=a1))
        elif kind == "unknown-request-field":
            m, = k.mark(kind, f"{tag}: WrapupCodeRequest has no field `wrapUpCodeId`")
            body = q('{"name": "$${input.name}", "wrapUpCodeId": "$${input.codeId}"}')
            self.add(self.path("integrations"), self.action_block(RA.local("action_defect_field"), f"{t.name} Rename Wrap-up Code", "PUT",
                                                                  "/api/v2/routing/wrapupcodes/$${input.codeId}", body, RA, body_mark=m))
        elif kind == "flow-file-not-found":
            m, = k.mark(kind, f"{tag}: flow file does not exist")
            fname = f"{t.key}_retired.yaml" if t.style == "flat" else "retired.yaml" if t.style == "module" else f"{t.key}-retired-WORKFLOW.yaml"
            block = self.flow_block(RA.local("retired"), fname, [("flow_name", q(f"{t.name} Retired"))], RA, hashed=False)
            self.add(self.path("flows"), block.replace(self.flow_path_expr(fname), self.flow_path_expr(fname) + m, 1))
        elif kind == "missing-flow-substitution":
            fname = self.flow_fname("survey")
            m, a1 = k.mark(kind, f"{tag}: `{{{{survey_name}}}}` has no substitution", alts=1)
            self.files[f"{self.flow_dir()}/{fname}"] = workflow_yaml("{{survey_name}}" + m)
            # The survey YAML uses {{survey_name}} where the others use {{company}}: no `company`
            # substitution here, or it would be an unplanted unused-flow-substitution.
            block = self.flow_block(RA.local("survey"), fname, [("flow_name", q(f"{t.name} Survey")), ("division", RA.division_name())], RA)
            self.add(self.path("flows"), block.replace("substitutions", "substitutions", 1).replace("= {\n", "= {" + a1 + "\n", 1))
        elif kind == "unused-flow-substitution":
            fname = self.flow_fname("callback")
            m, = k.mark(kind, f"{tag}: substitution `legacy_queue` is not used by the flow")
            self.files[f"{self.flow_dir()}/{fname}"] = workflow_yaml()
            self.add(self.path("flows"), self.flow_block(RA.local("callback"), fname, [
                ("flow_name", q(f"{t.name} Callback")), ("division", RA.division_name()), ("company", q("Example Corp")),
                ("legacy_queue", q("Old Callback Queue"))], RA, subs_marks={"legacy_queue": m}))
        elif kind == "flow-secret":
            fname = self.flow_fname("partner")
            secret = hashlib.sha256(f"{t.idx}:flow-secret".encode()).hexdigest()[:32]
            m, = k.mark("hardcoded-secret", f"{tag}: literal API key as a flow variable's initial value")
            self.files[f"{self.flow_dir()}/{fname}"] = workflow_yaml(secret=q(secret) + m)
            company = "var.company_name" if t.style != "export" else q("Example Corp")
            self.add(self.path("flows"), self.flow_block(RA.local("partner"), fname, [
                ("flow_name", q(f"{t.name} Partner Lookup")), ("division", RA.division_name()), ("company", company)], RA))
        else:
            raise SystemExit(f"internal error: unknown defect kind {kind}")

    def write(self) -> None:
        t = self.t
        if t.style == "export":
            self.add(self.path("codes"), f"# Exported by genesyscloud_tf_export: {t.name}\n\n")
        self.codes()
        self.queues()
        self.outbound()
        self.retention()
        self.triggers()
        self.flows()
        self.integrations()
        if t.style == "module":
            self.module_files()
        for kind in t.defects:
            self.plant(kind)


def q_list(items) -> str:
    return "[" + ", ".join(q(i) for i in items) + "]"


# --------------------------------------------------------------------------------------------------
# Root module files


def root_files(files: dict, teams: list) -> None:
    files["main.tf"] = (
        'terraform {\n  required_version = ">= 1.5.0"\n  required_providers {\n    genesyscloud = {\n'
        '      source  = "mypurecloud/genesyscloud"\n      version = "~> 1.84"\n    }\n  }\n}\n\n'
        '# Credentials come from GENESYSCLOUD_OAUTHCLIENT_ID / _SECRET / GENESYSCLOUD_REGION.\n'
        'provider "genesyscloud" {\n  sdk_debug = false\n}\n'
    )
    files["variables.tf"] = (
        'variable "environment" {\n  type        = string\n  description = "Deployment environment"\n  default     = "dev"\n}\n\n'
        'variable "company_name" {\n  type    = string\n  default = "Example Corp"\n}\n\n'
        'variable "acw_timeout_ms" {\n  type    = number\n  default = 300000\n}\n\n'
        'variable "triggers_enabled" {\n  type    = bool\n  default = false\n}\n'
    )
    files["terraform.tfvars"] = 'environment      = "prod"\ncompany_name     = "Example Corp"\nacw_timeout_ms   = 180000\ntriggers_enabled = true\n'
    files["divisions.tf"] = "".join(
        f'resource "genesyscloud_auth_division" "{k}" {{\n  name        = {q(n)}\n  description = "{n} business units"\n}}\n\n'
        for k, n in DIVISIONS) + 'data "genesyscloud_auth_division_home" "home" {}\n'
    files["locals.tf"] = (
        "locals {\n  env_tag = upper(var.environment)\n  division_ids = {\n"
        + "".join(f"    {k} = genesyscloud_auth_division.{k}.id\n" for k, _ in DIVISIONS)
        + "    home = data.genesyscloud_auth_division_home.home.id\n  }\n}\n"
    )
    # Lookups by name of codes and queues that this configuration manages: they must resolve.
    flat = [t for t in teams if t.style == "flat"][:3]
    lookups = []
    for t in flat:
        lookups.append(f'data "genesyscloud_routing_wrapupcode" "{t.key}_lookup" {{\n  name = {q(t.name + " - " + t.codes[0])}\n}}\n\n')
        lookups.append(f'data "genesyscloud_routing_queue" "{t.key}_lookup" {{\n  name = {q(t.queues[0].name)}\n}}\n\n')
    files["data.tf"] = "".join(lookups) or "# no lookups\n"


# --------------------------------------------------------------------------------------------------
# Org state (terraform.tfstate v4)

PROVIDER = 'provider["registry.terraform.io/mypurecloud/genesyscloud"]'


def state_resources(seed: int, t: Team) -> list:
    """The managed resources of one team as Terraform records them (clean objects only)."""
    if t.style == "module":
        mod = {"codes": f"module.codes_{t.key}", "queues": f"module.queues_{t.key}", "auto": f"module.automation_{t.key}"}
    else:
        mod = {"codes": None, "queues": None, "auto": None}
    R = Refs(t, "root")
    if t.style == "module":
        R = Refs(t, "codes")  # labels only
    res = []

    def addr(m, rtype, label, key=None):
        base = f"{m + '.' if m else ''}{rtype}.{label}"
        return base + (f'["{key}"]' if key is not None else "")

    def record(m, rtype, label, instances):
        r = {"mode": "managed", "type": rtype, "name": label, "provider": PROVIDER, "instances": instances}
        if m:
            r = {"module": m, **r}
        res.append(r)

    def inst(attrs_, key=None):
        i = {"schema_version": 0, "attributes": attrs_, "sensitive_attributes": []}
        if key is not None:
            i = {"index_key": key, **i}
        return i

    div_id = guid(seed, f"genesyscloud_auth_division.{t.division[0]}")
    code_id = {}
    for d in t.codes:
        label = R.code_label(d)
        code_id[d] = guid(seed, addr(mod["codes"], "genesyscloud_routing_wrapupcode", label, d if d in t.fe else None))
    if t.fe:
        record(mod["codes"], "genesyscloud_routing_wrapupcode", R.code_label(t.fe[0]),
               [inst({"id": code_id[d], "name": f"{t.name} - {d}", "division_id": div_id, "description": f"Disposition {d}"}, d) for d in t.fe])
    for d in t.singles:
        record(mod["codes"], "genesyscloud_routing_wrapupcode", R.code_label(d),
               [inst({"id": code_id[d], "name": f"{t.name} - {d}", "division_id": div_id, "description": None})])
    for qu in t.queues:
        label = Refs(t, "queues").queue_label(qu)
        # Queues whose codes are not managed in configuration carry every team code in the org.
        codes = t.codes if qu.codes is None else qu.codes
        record(mod["queues"], "genesyscloud_routing_queue", label, [inst({
            "id": guid(seed, addr(mod["queues"], "genesyscloud_routing_queue", label)), "name": qu.name,
            "division_id": div_id, "description": f"Queue for {qu.name}", "acw_wrapup_prompt": qu.acw,
            "acw_timeout_ms": 180000, "wrapup_codes": sorted(code_id[d] for d in codes),
            "skill_evaluation_method": "ALL", "auto_answer_only": True, "enable_transcription": False,
            "enable_manual_assignment": False, "calling_party_name": None, "calling_party_number": None,
            "default_script_ids": None, "outbound_email_address": [], "outbound_messaging_sms_address_id": None,
            "queue_flow_id": None, "email_in_queue_flow_id": None, "message_in_queue_flow_id": None,
            "whisper_prompt_id": None, "suppress_in_queue_call_recording": True, "members": [], "bullseye_rings": [],
            "media_settings_call": [{"alerting_timeout_sec": 8, "service_level_percentage": 0.8, "service_level_duration_ms": 20000,
                                     "auto_answer_alert_tone_seconds": 0, "manual_answer_alert_tone_seconds": 0, "enable_auto_answer": False}],
            "media_settings_email": [{"alerting_timeout_sec": 300, "service_level_percentage": 0.8, "service_level_duration_ms": 86400000,
                                      "auto_answer_alert_tone_seconds": 0, "manual_answer_alert_tone_seconds": 0, "enable_auto_answer": False}],
            "routing_rules": [{"operator": "MEETS_THRESHOLD", "threshold": 9, "wait_seconds": 300}],
        })])
    RA = Refs(t, "automation")
    for rs in t.rulesets:
        label = RA.local(rs["key"])
        record(mod["auto"], "genesyscloud_outbound_ruleset", label, [inst({
            "id": guid(seed, addr(mod["auto"], "genesyscloud_outbound_ruleset", label)), "name": f"{t.name} Rules {rs['key']}",
            "queue_id": guid(seed, addr(mod["queues"], "genesyscloud_routing_queue", Refs(t, "queues").queue_label(rs["queue"]))) if rs["own_queue"] else None,
            "rules": [{"name": f"Wrap-up rule {i + 1}", "order": i, "category": "DIALER_WRAPUP",
                       "conditions": [{"type": "wrapupCondition", "inverted": False, "codes": [code_id[d] for d in codes]}],
                       "actions": [{"type": "Action", "action_type_name": "DO_NOT_DIAL", "properties": {}}]}
                      for i, codes in enumerate(rs["rules"])],
        })])
    for tr in t.triggers:
        label = RA.local(tr["key"])
        crit = [{"jsonPath": "wrapupCode", "operator": "Equal", "value": code_id[tr["code"]]}]
        if tr["queue"]:
            crit.append({"jsonPath": "queueId", "operator": "Equal",
                         "value": guid(seed, addr(mod["queues"], "genesyscloud_routing_queue", Refs(t, "queues").queue_label(tr["queue"])))})
        record(mod["auto"], "genesyscloud_processautomation_trigger", label, [inst({
            "id": guid(seed, addr(mod["auto"], "genesyscloud_processautomation_trigger", label)), "name": f"{t.name} ACW {tr['key']}",
            "topic_name": "v2.detail.events.conversation.{id}.acw", "enabled": True, "event_ttl_seconds": 60,
            "match_criteria": json.dumps(crit, separators=(",", ":")),
            "target": [{"id": guid(seed, f"{t.key}.workflow"), "type": "Workflow", "workflow_target_settings": []}],
        })])
    return res


def write_state(path: str, seed: int, teams: list, target_bytes: int, rng: Rng, first_idx: int) -> tuple:
    """Write the state of `teams`, then of further state-only teams until `target_bytes` is reached.

    Streams resource by resource (2-space indented, as Terraform writes state) so a 50 MB state
    never has to exist twice in memory.
    """
    head = {"version": 4, "terraform_version": "1.9.8", "serial": 1024, "lineage": guid(seed, "lineage"), "outputs": {}}
    parts = [json.dumps(head, indent=2)[:-2] + ',\n  "resources": [\n']
    size = len(parts[0])
    first = True

    def emit(r):
        nonlocal size, first
        text = ("" if first else ",\n") + "\n".join("    " + line for line in json.dumps(r, indent=2).split("\n"))
        first = False
        size += len(text)
        parts.append(text)

    for d, n in DIVISIONS:
        emit({"mode": "managed", "type": "genesyscloud_auth_division", "name": d, "provider": PROVIDER,
              "instances": [{"schema_version": 0, "attributes": {"id": guid(seed, f"genesyscloud_auth_division.{d}"),
                                                                  "name": n, "description": f"{n} business units", "home": False},
                             "sensitive_attributes": []}]})
    for t in teams:
        for r in state_resources(seed, t):
            emit(r)
    idx, extra = first_idx, 0
    while size < target_bytes:
        # State-only teams: org objects this configuration does not manage (another repository's).
        t = Team(idx, rng)
        idx += 1
        extra += 1
        for r in state_resources(seed, t):
            emit(r)
    parts.append('\n  ],\n  "check_results": null\n}\n')
    text = "".join(parts)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return len(text.encode()), extra


# --------------------------------------------------------------------------------------------------
# Main


def generate(out: str, size_mb: float, seed: int, state_mb: float, teams_wanted: int = 0) -> dict:
    """Generate into `out`; stop at `size_mb` of .tf text, or after `teams_wanted` teams if set."""
    started = time.perf_counter()
    rng = Rng(seed)
    target = int(size_mb * 1_000_000)
    files: dict = {}
    key = Key()
    teams = []
    tf_bytes = 0
    idx = 0
    root_files(files, [])  # placeholder sizes for the estimate; rewritten below
    while (len(teams) < teams_wanted) if teams_wanted else (tf_bytes < target):
        t = Team(idx, rng)
        t.defects = [DEFECTS[(2 * idx) % len(DEFECTS)], DEFECTS[(2 * idx + 1) % len(DEFECTS)]]
        before = {p: len(v) for p, v in files.items()}
        TeamWriter(t, rng, key, files).write()
        tf_bytes += sum(len(v) - before.get(p, 0) for p, v in files.items() if p.endswith(".tf"))
        teams.append(t)
        idx += 1
    root_files(files, teams)
    entries = key.resolve(files)

    config = os.path.join(out, "config")
    if os.path.isdir(config):
        shutil.rmtree(config)
    for path in sorted(files):
        full = os.path.join(config, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8", newline="\n") as f:
            f.write(files[path])
    with open(os.path.join(out, "answer-key.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump({"version": 1, "seed": seed, "size_mb": size_mb, "findings": entries}, f, indent=2)
        f.write("\n")

    tf = [p for p in files if p.endswith(".tf")]
    manifest = {
        "seed": seed, "size_mb": size_mb, "teams": len(teams),
        "styles": {s: sum(1 for t in teams if t.style == s) for s in ("flat", "module", "export")},
        "tf_files": len(tf), "tf_bytes": sum(len(files[p].encode()) for p in tf),
        "other_files": len(files) - len(tf), "other_bytes": sum(len(files[p].encode()) for p in files if not p.endswith(".tf")),
        "modules": sum(1 for p in files if p.startswith("modules/") and p.endswith("/variables.tf")),
        "wrapup_codes": sum(len(t.codes) for t in teams), "queues": sum(len(t.queues) for t in teams),
        "findings": len(entries),
        "findings_by_rule": {r: sum(1 for e in entries if e["rule"] == r) for r in sorted({e["rule"] for e in entries})},
    }
    state_path = os.path.join(out, "terraform.tfstate")
    if state_mb > 0:
        srng = Rng(seed ^ 0x5EED5EED)
        manifest["state_bytes"], manifest["state_only_teams"] = write_state(state_path, seed, teams, int(state_mb * 1_000_000), srng, len(teams))
    elif os.path.exists(state_path):
        os.remove(state_path)
    manifest["generator_seconds"] = round(time.perf_counter() - started, 2)
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        # Timing is kept out of the byte-identical outputs' comparison by living only here.
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return manifest


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Generate a deterministic Genesys CX-as-Code benchmark corpus.")
    p.add_argument("--out", required=True, help="output directory (config/, answer-key.json, manifest.json)")
    size = p.add_mutually_exclusive_group(required=True)
    size.add_argument("--size-mb", type=float, help="target size of the .tf files, in MB (10^6 bytes)")
    size.add_argument("--teams", type=int, help="generate exactly this many teams instead (small projects)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--state-mb", type=float, default=0, help="also write terraform.tfstate of at least this size (MB)")
    a = p.parse_args(argv)
    if (a.size_mb is not None and a.size_mb <= 0) or (a.teams is not None and a.teams <= 0):
        p.error("--size-mb / --teams must be positive")
    os.makedirs(a.out, exist_ok=True)
    m = generate(a.out, a.size_mb or 0.0, a.seed, a.state_mb, a.teams or 0)
    print(json.dumps(m, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

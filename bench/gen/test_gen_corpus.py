#!/usr/bin/env python3
"""Tests of the corpus generator and the answer-key checker (python3 -m unittest, stdlib only).

Run: python3 -m unittest discover -s bench/gen -p 'test_*.py'
"""

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_corpus  # noqa: E402

spec = importlib.util.spec_from_file_location("check_answer_key", os.path.join(HERE, "..", "check-answer-key.py"))
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)

# What the expected line of each rule must contain (the planted text itself).
LINE_CONTAINS = {
    "unknown-oauth-scope": "conversation:write",
    "client-credentials-without-roles": "CLIENT-CREDENTIALS",
    "unknown-api-endpoint": "/api/v2/interactions/interactions/",
    "api-method-not-allowed": "/api/v2/conversations/$${input.conversationId}\"",
    "unknown-request-field": "wrapUpCodeId",
    "hardcoded-secret": "clientSecret",
    "mandatory-wrapup-without-codes": "wrapup_codes",
    "duplicate-wrapup-code-name": "name",
    "unknown-wrapup-code": "Legacy Disposition",
    "unknown-queue": "Legacy Queue",
    "flow-file-not-found": "filepath",
    "missing-flow-substitution": "{{survey_name}}",
    "unused-flow-substitution": "legacy_queue",
}
# The same, for findings planted in Architect flow YAML.
FLOW_LINE_CONTAINS = {
    "hardcoded-secret": "lit: \"",
}


def read_tree(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = os.path.join(dirpath, f)
            with open(p, "rb") as h:
                out[os.path.relpath(p, root)] = h.read()
    return out


class GeneratorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.a = os.path.join(cls.tmp.name, "a")
        cls.manifest = gen_corpus.generate(cls.a, 0.6, 7, 0.5)
        with open(os.path.join(cls.a, "answer-key.json")) as f:
            cls.key = json.load(f)["findings"]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_same_seed_is_byte_identical_and_other_seed_differs(self):
        b = os.path.join(self.tmp.name, "b")
        c = os.path.join(self.tmp.name, "c")
        gen_corpus.generate(b, 0.6, 7, 0.5)
        gen_corpus.generate(c, 0.6, 8, 0.5)
        ta, tb, tc = read_tree(self.a), read_tree(b), read_tree(c)
        ta.pop("manifest.json"), tb.pop("manifest.json"), tc.pop("manifest.json")  # holds timing
        self.assertEqual(ta, tb)
        self.assertNotEqual(ta, tc)

    def test_size_target_is_met(self):
        self.assertGreaterEqual(self.manifest["tf_bytes"], 600_000)
        self.assertLess(self.manifest["tf_bytes"], 700_000)
        self.assertGreaterEqual(self.manifest["state_bytes"], 500_000)

    def test_no_sentinel_survives(self):
        for path, data in read_tree(os.path.join(self.a, "config")).items():
            self.assertNotIn(b"\x01", data, path)

    def test_every_rule_is_planted_and_points_at_the_planted_text(self):
        rules = {e["rule"] for e in self.key}
        self.assertEqual(rules, set(LINE_CONTAINS) | {"wrapup-code-not-assigned", "unresolved-reference"})
        for e in self.key:
            with open(os.path.join(self.a, "config", e["file"]), encoding="utf-8") as f:
                line = f.read().split("\n")[e["line"] - 1]
            want = LINE_CONTAINS.get(e["rule"])
            if e["file"].endswith(".yaml"):
                want = FLOW_LINE_CONTAINS.get(e["rule"], want)
            if want:
                self.assertIn(want, line, e)
            elif e["rule"] == "unresolved-reference":
                self.assertRegex(line, r"resolvd|var\.t\d+_caller_name|local\.t\d+_caller_number", e)
            else:
                self.assertRegex(line, r"wrapupcode|code_ids", e)
            for alt in e.get("also_accept", []):
                self.assertTrue(os.path.exists(os.path.join(self.a, "config", alt["file"])), alt)

    def test_a_secret_is_planted_in_a_flow_too(self):
        flows = [e for e in self.key if e["rule"] == "hardcoded-secret" and e["file"].endswith(".yaml")]
        self.assertTrue(flows, "no flow secret planted")

    def test_flow_files_exist_except_the_planted_missing_one(self):
        cfg = os.path.join(self.a, "config")
        missing = {(e["file"], e["line"]) for e in self.key if e["rule"] == "flow-file-not-found"}
        for path, data in read_tree(cfg).items():
            if not path.endswith(".tf"):
                continue
            for n, line in enumerate(data.decode().split("\n"), 1):
                if line.strip().startswith("filepath"):
                    target = line.split('"')[1].replace("${path.module}", os.path.dirname(path))
                    exists = os.path.exists(os.path.join(cfg, target))
                    self.assertEqual(exists, (path, n) not in missing, f"{path}:{n}")

    def test_state_is_terraform_v4(self):
        with open(os.path.join(self.a, "terraform.tfstate")) as f:
            state = json.load(f)
        self.assertEqual(state["version"], 4)
        queues = [r for r in state["resources"] if r["type"] == "genesyscloud_routing_queue"]
        self.assertTrue(queues)
        self.assertTrue(all(r["instances"][0]["attributes"]["wrapup_codes"] for r in queues))


class CheckerTest(unittest.TestCase):
    KEY = [
        {"rule": "hardcoded-secret", "file": "a.tf", "line": 3, "note": ""},
        {"rule": "client-credentials-without-roles", "file": "a.tf", "line": 9, "also_accept": [{"file": "a.tf", "line": 7}], "note": ""},
        {"rule": "unknown-queue", "file": "b.tf", "line": 2, "needs_state": True, "note": ""},
    ]

    def diag(self, rule, f, line, sev="error"):
        return (rule, sev, f, line, "")

    def test_exact_and_alternative_locations_pass(self):
        d = [self.diag("hardcoded-secret", "a.tf", 3), self.diag("client-credentials-without-roles", "a.tf", 7),
             self.diag("unassigned-wrapup-code", "a.tf", 1, "info")]
        _, missing, extra, _ = check.compare(self.KEY, d, state=False)
        self.assertEqual((missing, extra), ([], []))

    def test_missing_extra_and_state_only(self):
        d = [self.diag("hardcoded-secret", "a.tf", 4), self.diag("client-credentials-without-roles", "a.tf", 9)]
        _, missing, extra, _ = check.compare(self.KEY, d, state=False)
        self.assertEqual([e["rule"] for e in missing], ["hardcoded-secret"])
        self.assertEqual([x[0] for x in extra], ["hardcoded-secret"])
        _, missing, _, _ = check.compare(self.KEY, d, state=True)
        self.assertIn("unknown-queue", [e["rule"] for e in missing])

    def test_duplicate_report_is_extra(self):
        d = [self.diag("hardcoded-secret", "a.tf", 3), self.diag("hardcoded-secret", "a.tf", 3),
             self.diag("client-credentials-without-roles", "a.tf", 9)]
        _, missing, extra, _ = check.compare(self.KEY, d, state=False)
        self.assertEqual(missing, [])
        self.assertEqual(len(extra), 1)

    def test_paths_are_normalised(self):
        self.assertEqual(check.norm("./modules/x/../y/a.tf", "/c"), "modules/y/a.tf")
        self.assertEqual(check.norm("/c/sub/a.tf", "/c"), "sub/a.tf")


class GeneratorCliTest(unittest.TestCase):
    def test_rejects_a_non_positive_size(self):
        r = subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--out", "/tmp/x", "--size-mb", "0"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main()

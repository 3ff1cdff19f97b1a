"""The docs name every verdict and every JSON key the code writes."""

from __future__ import annotations

from nl80211dec.sequence import VERDICT_IDS
from nl80211dec.sequence.attempt import Attempt

from .golden_util import ROOT


def test_every_verdict_is_documented():
    guide = (ROOT / "docs" / "user-guide.md").read_text()
    for vid in VERDICT_IDS:
        assert f"`{vid}`" in guide, vid


def test_attempt_json_keys_are_documented():
    doc = (ROOT / "docs" / "json.md").read_text()
    keys = Attempt(1, "ap", 1, 0, 0.0).as_dict().keys()
    missing = [k for k in keys if k not in ("kind", "number", "steps_dropped") and f"`{k}`" not in doc]
    assert not missing


def test_api_reference_is_current():
    import subprocess
    import sys

    res = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_api_docs.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout


def test_relative_links_in_docs_resolve():
    import re

    broken = []
    for md in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted(ROOT.glob("captures/*/README.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)", md.read_text()):
            if "://" in target:
                continue
            if not (md.parent / target).exists():
                broken.append(f"{md.relative_to(ROOT)} -> {target}")
    assert not broken

"""The benchmark script runs (a tiny version) and measures what it says: correctness, never speed."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

import nl80211dec

from .golden_util import ROOT


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    report = tmp_path_factory.mktemp("bench") / "report.json"
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick", "--report", str(report)],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    assert "load average" in res.stdout
    return json.loads(report.read_text())


def test_every_path_runs_on_both_link_types_and_file_kinds(quick_report: dict) -> None:
    seen = {(p["path"], p["file"]) for p in quick_report["pairs"]}
    for path in ("API, every value", "--json", "text -V", "--sae"):
        for file in ("113 fresh", "113 repeated", "253 fresh", "253 repeated"):
            assert (path, file) in seen
    for p in quick_report["pairs"]:
        assert len(p["ours"]) == 1 and p["ours"][0]["cpu"] > 0 and p["ours"][0]["rss"] > 0


def test_fresh_files_defeat_the_memo_and_repeated_ones_do_not(quick_report: dict) -> None:
    files = quick_report["files"]
    for lt in (113, 253):
        assert files[f"{lt} fresh"]["memo_hits"] == 0.0
        assert files[f"{lt} repeated"]["memo_hits"] > 0.2


@pytest.mark.parametrize("lt", [113, 253])
def test_fresh_file_decodes_cleanly_and_never_repeats_a_payload(quick_report: dict, lt: int) -> None:
    """The stamping keeps every message sound and makes each nl80211/nlctrl/rtnetlink payload its own."""
    f = quick_report["files"][f"{lt} fresh"]
    cap = nl80211dec.open(f["path"])
    payloads: Counter[bytes] = Counter()
    n = 0
    for msg in cap:
        n += 1
        assert not msg.malformed, msg
        if msg.family in ("nl80211", "nlctrl", "rtnetlink") and msg.nl_type >= 16 and len(msg.raw) > 16:
            payloads[msg.raw[16:]] += 1
    assert n == f["messages"]
    assert cap.summary.malformed == 0
    cleared = cap.summary.cleared
    assert sum(c - 1 for c in payloads.values()) <= cleared  # only requests the kernel zeroed may repeat


def test_stage_breakdown_runs_on_a_shipped_capture():
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "stages.py"),
                          str(ROOT / "captures" / "iwd-sae-ok" / "iwmon.pcap"), "--no-memo"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert len(lines) == 7 and lines[0].startswith("reader") and "us/msg" in lines[-1]

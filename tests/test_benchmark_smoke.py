"""The benchmark script runs (a tiny version): it must not rot. Speed is not asserted."""

from __future__ import annotations

import subprocess
import sys

from .golden_util import ROOT


def test_benchmark_smoke_runs():
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--smoke"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "API full decode" in res.stdout and "--json (nlmon 253)" in res.stdout


def test_stage_breakdown_runs_on_a_shipped_capture():
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "stages.py"),
                          str(ROOT / "captures" / "iwd-sae-ok" / "iwmon.pcap"), "--no-memo"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert len(lines) == 7 and lines[0].startswith("reader") and "us/msg" in lines[-1]

"""The live lab run (tools/live_lab.py, not run by CI): its committed output against the tcpdump file of the same run.

In the VM, ``nl80211dec live --sae -w live.pcapng`` ran beside the lab's ``tcpdump -i nlmon0`` on the
same nlmon interface. What live printed, what its file decodes to and what tcpdump's file decodes to
must be the same attempts with the same verdicts; every tcpdump record must be in the live file.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from nl80211dec.capture.reader import CaptureReader

from .golden_util import ROOT

GOLDEN = ROOT / "tests" / "golden" / "live-lab"
RUNS = sorted(p for p in GOLDEN.glob("*") if (p / "comparison.json").exists()) if GOLDEN.exists() else []


def live_lab():
    spec = importlib.util.spec_from_file_location("live_lab", ROOT / "tools" / "live_lab.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pytestmark = pytest.mark.skipif(not RUNS, reason="no live lab run committed yet (python tools/live_lab.py --golden)")


@pytest.mark.parametrize("run", RUNS, ids=lambda p: p.name)
def test_verdicts_printed_live_agree_with_the_tcpdump_file(run: Path):
    lab = live_lab()
    printed = lab.printed_verdicts((run / "live-sae.txt").read_text())
    from_tcpdump = lab.decoded_verdicts(run / "tcpdump-nlmon.pcap.gz")
    from_live_file = lab.decoded_verdicts(run / "live.pcapng.gz")
    assert printed, "the live run printed no attempt"
    assert printed == from_tcpdump == from_live_file
    assert json.loads((run / "comparison.json").read_text())["verdicts"]["printed_live"] == printed


@pytest.mark.parametrize("run", RUNS, ids=lambda p: p.name)
def test_every_tcpdump_record_is_in_the_live_file(run: Path):
    lab = live_lab()
    tcp = list(CaptureReader(run / "tcpdump-nlmon.pcap.gz"))
    live = list(CaptureReader(run / "live.pcapng.gz"))
    rec = lab.match_records(tcp, live)
    assert rec["matched"] == rec["tcpdump_records"] == len(tcp) > 100
    assert rec["header_fields_differing"] == 0
    assert rec == json.loads((run / "comparison.json").read_text())["records"]


@pytest.mark.parametrize("run", RUNS, ids=lambda p: p.name)
def test_the_run_ended_cleanly_and_nothing_was_assumed(run: Path):
    report = json.loads((run / "comparison.json").read_text())
    assert report["live_exit"] == 0 and report["nlmon0_after"] == "removed"
    assert not report["live_file"]["assumed"] and not report["tcpdump_file"]["assumed"]
    assert any("removed the nlmon interface nlmon0" in line for line in report["live_stderr"])


@pytest.mark.parametrize("run", RUNS, ids=lambda p: p.name)
def test_each_verdict_was_printed_when_its_attempt_closed(run: Path):
    """An attempt the next one closed was printed within moments of that message (under TCG, in a VM)."""
    told = json.loads((run / "comparison.json").read_text())["told"]
    assert told and len(told) == len(live_lab().printed_verdicts((run / "live-sae.txt").read_text()))
    for t in told:
        if t["closed_by"] != "end of capture":
            assert 0 <= t["after_closing_message_s"] < 2.0, t

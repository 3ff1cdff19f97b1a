"""iwmon text as an input: the real posted logs get their verdicts, and every lab capture's iwmon.txt agrees
with its pcap."""

from __future__ import annotations

import json

import pytest

import nl80211dec

from .golden_util import CAPTURES

REAL = CAPTURES / "real-brcmfmac"
EXPECTED = json.loads((REAL / "expected.json").read_text())
IWMON_LOGS = sorted(k for k in EXPECTED if ".iwmon." in k)
LAB_TEXT = sorted(p.parent.name for p in CAPTURES.glob("*/iwmon.txt.gz") if (p.parent / "truth.json").exists())


def station(path) -> list:
    return [a for a in nl80211dec.open(path).attempts() if a.mode != "ap"]


@pytest.mark.parametrize("log", IWMON_LOGS)
def test_real_brcmfmac_iwmon_logs_get_the_threads_verdicts(log):
    cap = nl80211dec.open(REAL / log)
    assert cap.input == "iwmon-text"
    got = [a.verdict for a in cap.attempts() if a.mode != "ap"]
    assert got == EXPECTED[log]
    assert cap.summary.input == "iwmon-text" and cap.summary.fidelity


@pytest.mark.parametrize("scenario", LAB_TEXT)
def test_lab_iwmon_text_gives_the_verdicts_of_its_pcap(scenario):
    text = [a.verdict for a in station(CAPTURES / scenario / "iwmon.txt.gz")]
    pcap = [a.verdict for a in station(CAPTURES / scenario / "iwmon.pcap")]
    assert text == pcap


def test_text_input_messages_carry_their_source_line():
    cap = nl80211dec.open(REAL / IWMON_LOGS[0])
    msgs = list(cap)
    assert msgs and all(m.line is not None and m.line > 0 for m in msgs)
    assert [m.line for m in msgs] == sorted(m.line for m in msgs)


def test_a_file_that_is_none_of_the_inputs_is_refused(tmp_path):
    p = tmp_path / "notes.txt"
    p.write_text("just some words\nnothing a tool wrote\n")
    with pytest.raises(nl80211dec.NotACaptureError):
        nl80211dec.open(p)

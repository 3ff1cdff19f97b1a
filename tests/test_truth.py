"""Every shipped lab capture gets the verdicts its hand-written truth (from the daemons' logs) states.

``captures/<scenario>/truth.json`` is written from client.log, hostapd.log
and the air capture, never from nl80211dec's output (captures/TRUTH.md).
The nlmon and the iwmon file of one run must give the same station verdicts.
Where the capture alone cannot decide (the deciding fact is only in a log),
the case is listed in :data:`CAPTURE_CANNOT_DECIDE` with the reason; the
verdict must then say so (``no-attempt`` / ``undecided``) and name the
truth among its candidates.
"""

from __future__ import annotations

import json

import pytest

import nl80211dec

from .golden_util import CAPTURES

TRUTHS = sorted(p.parent.name for p in CAPTURES.glob("*/truth.json"))
FILES = ("nlmon.pcap", "iwmon.pcap")

# (scenario, station attempt number from 1) -> why the capture alone cannot decide it
CAPTURE_CANNOT_DECIDE = {
    ("wpas-sae-h2e-mismatch-rev", 1): "the AP offers only hunting-and-pecking, which many APs do; only the "
                                      "station's log says it requires H2E (MFP is an equal candidate)",
}


# AP attempts the capture shows and hostapd's log cannot: scenario -> (verdicts, why)
AP_ONLY_IN_CAPTURE = {
    "wpas-sae-no-ap": (["no-peer-commit"], "hostapd was frozen (SIGSTOP): the kernel delivered the station's commit "
                                           "to its socket, which the capture shows, and hostapd never read it"),
}


def truth(scenario: str) -> dict:
    return json.loads((CAPTURES / scenario / "truth.json").read_text())


def attempts(scenario: str, name: str) -> list:
    return nl80211dec.open(CAPTURES / scenario / name).attempts()


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("scenario", TRUTHS)
def test_station_verdicts_match_the_truth(scenario, name):
    t = truth(scenario)
    want = [x["verdict"] for x in t["station"]]
    got = [a for a in attempts(scenario, name) if a.mode != "ap"]
    assert len(got) == len(want), [a.verdict for a in got]
    for n, (a, verdict) in enumerate(zip(got, want, strict=True), 1):
        if (scenario, n) in CAPTURE_CANNOT_DECIDE:
            assert a.verdict in ("no-attempt", "undecided"), (n, a.verdict)
            assert verdict in {c.verdict for c in a.candidates}, (n, [c.as_dict() for c in a.candidates])
        else:
            assert a.verdict == verdict, (n, a.verdict, a.explanation)


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("scenario", TRUTHS)
def test_ap_verdicts_match_the_truth(scenario, name):
    want = [x["verdict"] for x in truth(scenario).get("ap", [])]
    if scenario in AP_ONLY_IN_CAPTURE:
        assert not want
        want = AP_ONLY_IN_CAPTURE[scenario][0]
    got = [a.verdict for a in attempts(scenario, name) if a.mode == "ap"]
    assert got == want


@pytest.mark.parametrize("scenario", TRUTHS)
def test_both_views_of_one_exchange_are_linked(scenario):
    """Every AP attempt whose station attempt is in the same capture points at it, and back."""
    found = attempts(scenario, "nlmon.pcap")
    by_number = {a.number: a for a in found}
    for a in found:
        if a.linked is not None:
            other = by_number[a.linked]
            assert other.linked == a.number and (other.mode == "ap") != (a.mode == "ap")
            assert other.station == a.station and other.ap == a.ap


def test_the_cases_the_capture_cannot_decide_are_real():
    for scenario, _n in CAPTURE_CANNOT_DECIDE:
        assert scenario in TRUTHS

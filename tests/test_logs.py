"""Journals and daemon logs as evidence: alone they give the verdicts their lines support; beside a capture
they are placed on its clock and settle what it leaves open."""

from __future__ import annotations

import json

import pytest

import nl80211dec

from .golden_util import CAPTURES

REAL = CAPTURES / "real-brcmfmac"
EXPECTED = json.loads((REAL / "expected.json").read_text())
JOURNALS = sorted(k for k in EXPECTED if ".journal." in k)


def _log(folder, name: str):
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.exists():
            return candidate
    return None


LAB_LOGS = [(p.parent.name, log, side) for p in sorted(CAPTURES.glob("*/truth.json"))
            for log, side in (("client.log", "station"), ("hostapd.log", "ap")) if _log(p.parent, log)]

# (scenario, log) -> why the log alone cannot give the truth (the truth comes from another file too)
LOG_CANNOT_SHOW = {
    ("iwd-fmac-tx-noack", "client.log"): "iwd logs no TX status for its external-auth frames: not acknowledged "
                                         "and not answered look alike",
    ("iwd-sae-no-peer-commit", "hostapd.log"): "the relay withheld the commit from hostapd: its log never saw it",
    ("wpas-sae-no-peer-commit", "hostapd.log"): "the relay withheld the commits from hostapd: its log never saw them",
    ("wpas-fmac-abort1", "client.log"): "the abort races the supplicant's frames; two of its logged aborts come "
                                        "after the next try began",
    ("wpas-fmac-abort2", "client.log"): "as abort1: the log orders the abort after frames of the next try",
    ("wpas-sae-assoc-timeout", "hostapd.log"): "hostapd logs the SAE of the first try only; the retries reuse the "
                                              "PMK and hostapd logs nothing for their withheld associations",
    ("wpas-sae-group-mismatch", "hostapd.log"): "hostapd's log does not print the station's group: a retry with the "
                                               "same group and a fallback look alike",
    ("wpas-sae-h2e-mismatch-hnp", "client.log"): "the station's log says only 'status 1'; the H2E reason is in "
                                                 "hostapd's log",
    ("iwd-fmac-h2e", "client.log"): "iwd's log says the AP refused its commit with status 1; the H2E reason is in "
                                    "hostapd's log",
    ("wpas-sae-pmksa-stale", "hostapd.log"): "the restarted hostapd logs the PMKID association failure without a "
                                            "line the reader knows",
}


@pytest.mark.parametrize("journal", JOURNALS)
def test_real_brcmfmac_journals_alone_get_the_threads_verdicts(journal):
    cap = nl80211dec.open(REAL / journal)
    assert cap.input == "log"
    got = [a.verdict for a in cap.attempts() if a.mode != "ap"]
    assert got == EXPECTED[journal]


@pytest.mark.parametrize(("scenario", "log", "side"), LAB_LOGS)
def test_lab_logs_alone_give_the_verdicts_their_lines_support(scenario, log, side):
    truth = json.loads((CAPTURES / scenario / "truth.json").read_text())
    want = [x["verdict"] for x in truth.get(side, [])]
    got = [a.verdict for a in nl80211dec.open(_log(CAPTURES / scenario, log)).attempts()
           if (a.mode == "ap") == (side == "ap")]
    if (scenario, log) in LOG_CANNOT_SHOW:
        assert got != want, "this log now shows its truth: take it off LOG_CANNOT_SHOW"
    else:
        assert got == want


def test_a_log_beside_the_capture_settles_why_the_station_never_tried():
    folder = CAPTURES / "wpas-sae-h2e-mismatch-rev"
    (alone,) = nl80211dec.open(folder / "nlmon.pcap").attempts()
    assert alone.verdict == "no-attempt"  # the capture alone cannot tell H2E from MFP
    cap = nl80211dec.open(folder / "nlmon.pcap", logs=[folder / "client.log"])
    (a,) = cap.attempts()
    assert a.verdict == "h2e-mismatch"
    assert [c.verdict for c in a.candidates if c.certainty == "certain"] == ["h2e-mismatch"]
    assert any(c.kind == "log" and "client.log" in c.logs[0] for c in a.claims)
    assert cap.logs and cap.logs[0]["placed"]


def test_logs_are_placed_on_the_capture_clock_from_shared_moments():
    folder = CAPTURES / "wpas-sae-ok"
    cap = nl80211dec.open(folder / "nlmon.pcap", logs=[folder / "client.log", folder / "hostapd.log"])
    attempts = cap.attempts()
    for report in cap.logs:
        assert report["placed"] and report["offset_pairs"] >= 3, report
        assert abs(report["offset_s"]) < 0.05, report  # one VM: the same clock, within a few ms of logging
    station = next(a for a in attempts if a.mode != "ap")
    assert station.logs and all(s.source == "client.log" for s in station.logs)
    ap = next(a for a in attempts if a.mode == "ap")
    assert ap.logs and all(s.source == "hostapd.log" for s in ap.logs)
    assert "log client.log" in " ".join(cap.summary.notes)


def test_a_log_that_shares_no_moment_and_has_no_time_is_reported_not_placed(tmp_path):
    bare = tmp_path / "iwd.log"
    bare.write_text("src/station.c:station_enter_state() Old State: disconnected, new state: connecting\n"
                    "src/station.c:station_connect_cb() 3, result: 0\n")
    cap = nl80211dec.open(CAPTURES / "wpas-sae-ok" / "nlmon.pcap", logs=[bare])
    cap.attempts()
    (report,) = cap.logs
    assert not report["placed"] and report["why_not_placed"] == "its lines carry no time"

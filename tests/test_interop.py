"""scapy interoperability and the capture diff."""

from __future__ import annotations

import json

import pytest

import nl80211dec
from nl80211dec.cli import main
from nl80211dec.diff import diff_attempts

from .golden_util import CAPTURES

EXT = CAPTURES / "brcmfmac-external-auth"


def test_frames_go_to_scapy_and_scapy_packets_come_back():
    scapy = pytest.importorskip("scapy.all")
    frames = [a.decoded for m in nl80211dec.open(CAPTURES / "iwd-sae-ok" / "nlmon.pcap")
              for a in m.payloads or () if hasattr(a.decoded, "to_scapy")]
    pkt = frames[0].to_scapy()
    assert pkt.haslayer(scapy.Dot11) and pkt.addr2 == frames[0].addr("SA")
    ours = [(m.cmd_name, m.role) for m in nl80211dec.open(CAPTURES / "iwd-sae-ok" / "iwmon.pcap")]
    via_scapy = [(m.cmd_name, m.role) for m in nl80211dec.from_scapy(
        scapy.PcapReader(str(CAPTURES / "iwd-sae-ok" / "iwmon.pcap")))]
    assert via_scapy == ours
    raw = scapy.rdpcap(str(CAPTURES / "iwd-sae-ok" / "nlmon.pcap"))
    assert [a.verdict for a in nl80211dec.from_scapy(raw, linktype=253).attempts()] == ["ok", "ok"]


def test_seed_pair_diff_points_at_the_pmksa():
    """iwctl works (fresh SAE), connmanctl fails (PMKSA cache): the diff must say so first."""
    good = nl80211dec.open(EXT / "ok.pcap").attempts()
    bad = nl80211dec.open(EXT / "pmksa-instead-of-sae.pcap").attempts()
    diffs = diff_attempts(good, bad)
    assert diffs[0].where == "request: pmkid_offered" and diffs[0].bad is True
    assert "PMKID" in diffs[0].meaning
    assert any(d.where == "verdict" and d.bad == "pmksa-instead-of-sae" for d in diffs)


def test_diff_cli(capsys):
    assert main(["diff", "--json", str(EXT / "ok.pcap"), str(EXT / "confirm-mismatch.pcap")]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert rows and all(r["kind"] == "difference" for r in rows)
    assert any(r["where"] == "verdict" and r["bad"] == "confirm-mismatch" for r in rows)
    assert main(["diff", str(EXT / "ok.pcap"), str(EXT / "ok.pcap")]) == 0
    assert "no meaningful difference" in capsys.readouterr().out

"""Over-the-air captures: radiotap, the same 802.11 decoder, and the join to netlink."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nl80211dec
from nl80211dec.air.frames import AirCapture
from nl80211dec.air.radiotap import RadiotapMinimal, parse_radiotap
from nl80211dec.cli import main
from nl80211dec.errors import DecodeError
from nl80211dec.testing.scenarios import build_both

from .golden_util import CAPTURES, ROOT, SCENARIOS

INDEX = {s["scenario"]: s for s in json.loads((ROOT / "captures" / "index.json").read_text())}
TSHARK_TYPES = {"Beacon": "MGMT/BEACON", "ACK": "CTL/ACK", "Deauthentication": "MGMT/DEAUTH",
                "Authentication": "MGMT/AUTH", "Probe Req": "MGMT/PROBE_REQ", "Probe Resp": "MGMT/PROBE_RESP",
                "Assoc Req": "MGMT/ASSOC_REQ", "Assoc Resp": "MGMT/ASSOC_RESP", "Data": "DATA/"}


@given(st.integers(0, 2**63), st.integers(0, 255), st.integers(0, 255), st.integers(0, 0xFFFF),
       st.integers(0, 0xFFFF))
def test_radiotap_schema_and_parser_agree(tsft, flags, rate, freq, chflags):
    raw = RadiotapMinimal.build({"version": 0, "pad": 0, "length": 22, "present": 0x0F, "tsft": tsft,
                                 "flags": flags, "rate": rate, "channel_freq": freq, "channel_flags": chflags})
    fields, length = parse_radiotap(raw + b"frame")
    assert length == 22 and fields["tsft"] == tsft and fields["flags"] == flags and fields["rate"] == rate
    assert fields["channel"] == (freq, chflags) and fields["freq"] == freq


@given(st.binary(max_size=64))
def test_random_radiotap_raises_only_decode_error(data):
    try:
        parse_radiotap(data)
    except DecodeError:
        pass


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_air_frames_agree_with_tshark(scenario):
    """Frame types and every SAE frame (record, message, status, group) as tshark saw them."""
    ref = INDEX[scenario]["air"]
    air = AirCapture(CAPTURES / scenario / "air.pcap")
    for name, count in ref["frame_types"].items():
        ours = sum(n for k, n in air.counts.items() if k.startswith(TSHARK_TYPES[name]))
        assert ours == count, name
    got = [(f.number, f.frame.sae.message if f.frame.sae.message != "reject" else
            ("commit" if f.frame.sae.seq == 1 else "confirm"), f.frame.sae.status,
            f.frame.sae.group if f.frame.sae.seq == 1 else None) for f in air.sae_frames]
    want = [(x["frame"], x["msg"], x["status"], x["group"]) for x in ref["sae_frames"]]
    assert got == want


NEVER_TRANSMITTED = {"iwd-fmac-tx-noack", "wpas-fmac-tx-noack"}  # lab/fmac/README.md: tx_noack sends nothing


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_sae_frame_on_the_air_is_matched_to_netlink(scenario):
    cap = nl80211dec.open(CAPTURES / scenario / "nlmon.pcap", air=CAPTURES / scenario / "air.pcap")
    msgs = list(cap)
    s = cap.summary.air
    assert s["sae_frames"] == len(INDEX[scenario]["air"]["sae_frames"])
    assert s["matched_sae"] == s["sae_frames"] and s["air_sae_not_in_netlink"] == 0
    if scenario in NEVER_TRANSMITTED:
        assert s["netlink_sae_not_on_air"] > 0  # the driver drops the station's frames (fmac knob tx_noack)
    else:
        assert s["netlink_sae_not_on_air"] == 0
    if s["sae_frames"]:
        assert abs(s["clock_offset_s"]) < 0.05  # same VM, same clock, up to scheduling
        annotated = [a.decoded for m in msgs for a in m.payloads or () if getattr(a.decoded, "on_air", None)]
        assert annotated


def test_no_ap_commit_retransmitted_unacked():
    cap = nl80211dec.open(CAPTURES / "wpas-sae-no-ap" / "nlmon.pcap", air=CAPTURES / "wpas-sae-no-ap" / "air.pcap")
    (a,) = [x for x in cap.attempts() if x.mode != "ap"]
    assert a.verdict == "no-peer-commit"
    (ours,) = a.air["our_sae"]
    assert ours["on_air"] == 3 and ours["acked"] == 1  # the frozen AP's radio ACKed once, then nothing
    assert a.air["peer_sae_on_air"] == []
    assert "no SAE frame from the AP appeared on the air" in a.explanation


def test_firmware_not_forwarding_is_told_apart_from_a_silent_ap():
    nl, air = build_both("no-peer-commit")
    (without,) = nl80211dec.open(nl).attempts()
    (with_air,) = nl80211dec.open(nl, air=air).attempts()
    assert without.verdict == with_air.verdict == "no-peer-commit"
    assert "the AP did answer" in with_air.explanation and "never delivered it" in with_air.explanation
    assert "did answer" not in without.explanation and len(without.candidates) == 2  # undecided without the air
    assert len(with_air.air["peer_sae_undelivered"]) == 1  # the AP's one commit (held to the drop_auth_rx runs)
    cap = nl80211dec.open(nl, air=air)
    list(cap)
    assert abs(cap.summary.air["clock_offset_s"] - 0.137) < 0.005  # estimated, not assumed
    assert cap.summary.air["air_sae_not_in_netlink"] == 1


def test_cli_air_json(capsys, tmp_path):
    nl, air = build_both("commit-not-acked")
    (tmp_path / "nl.pcap").write_bytes(nl)
    (tmp_path / "air.pcap").write_bytes(air)
    assert main(["--json", str(tmp_path / "nl.pcap"), "--air", str(tmp_path / "air.pcap")]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    frames = [a["frame"] for r in rows if r["kind"] == "message" for a in r["attrs"] if "frame" in a]
    sent = [f for f in frames if f.get("sae") and f["addresses"]["SA"] == "d8:3a:dd:d2:ae:3c"]
    assert sent and all(len(f["on_air"]) == 4 and not any(x["acked"] for x in f["on_air"]) for f in sent)
    assert any(x["retry"] for x in sent[0]["on_air"])
    assert rows[-1]["air"]["sae_frames"] == 4  # one commit (the tx_noack runs), sent once and retried 3 times
    (att,) = [r for r in rows if r["kind"] == "attempt"]
    assert att["air"]["our_sae"][0]["on_air"] == 4


def test_air_capture_alone_is_explained(capsys):
    code = main(["--json", str(CAPTURES / "iwd-sae-ok" / "air.pcap")])
    summary = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert summary["skipped_records"] == summary["records"]
    assert any("--air" in n for n in summary["notes"])
    assert code == 0

"""The real iwmon logs people posted (Raspberry Pi, brcmfmac, iwmon 3.1/3.3) read as captures.

No pcap exists for these: what they must give is messages with every line
placed (a short, listed allowance), and the facts ``captures/real-brcmfmac/FACTS.md``
reads off them, decoded by the unchanged decoder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nl80211dec.netlink.message import Message
from nl80211dec.pipeline import Decoder
from nl80211dec.sae.layer import Dot11Layer
from nl80211dec.textlog.iwmon import IwmonTextReader, looks_like_iwmon_text

REAL = Path(__file__).resolve().parent.parent / "captures" / "real-brcmfmac"
LOGS = sorted(REAL.glob("logs/*.iwmon.txt.gz"))
DEC9 = REAL / "logs" / "2024-12-09_KeithG_Driver_7.45.286_wpa3_connect.iwmon.txt.gz"
DEC18 = REAL / "logs" / "2024-12-18_KeithG_failed_connect.iwmon.txt.gz"

# Lines no message owns, by log: the poster's own words, nothing else.
UNPLACED_ALLOWANCE = {
    "2025-01-09_KeithG_wpa_supplicant_SAE_simplified.iwmon.txt.gz": [
        (1, "wpa_supplicant"),  # the poster's title above the log
        (100, "..."), (183, "..."), (822, "..."), (908, "..."),  # where the poster cut the log ("simplified")
    ],
}
VERSIONS = {"2024-12-09": "3.1", "2024-12-18": "3.1", "2024-12-21": "3.3", "2025-01-09": "3.3",
            "2025-01-25_KeithG_iwd_apipa": "3.3", "2025-01-25_KeithG_iwd_dhcp": None}


def decode(path: Path) -> tuple[list[Message], IwmonTextReader]:
    reader = IwmonTextReader(path)
    return list(Decoder(reader.families, post=Dot11Layer().process).decode_all(reader)), reader


def test_every_iwmon_log_is_in_the_repository() -> None:
    expected = json.loads((REAL / "expected.json").read_text())
    assert {p.name for p in LOGS} == {Path(k).name for k in expected if ".iwmon." in k}
    assert all((REAL / k).exists() for k in expected)


@pytest.mark.parametrize("path", LOGS, ids=[p.name[:30] for p in LOGS])
def test_real_log_gives_messages_with_every_line_placed(path: Path) -> None:
    msgs, reader = decode(path)
    assert len(msgs) > 40
    assert reader.unplaced == UNPLACED_ALLOWANCE.get(path.name, [])
    assert reader.unplaced_count == len(reader.unplaced)
    assert not any(m.malformed for m in msgs)
    assert set(reader.skipped) <= {"iwmon notice line", "RTNL message printed without what its bytes need"}
    version = next(v for k, v in VERSIONS.items() if path.name.startswith(k))
    assert reader.version == version
    assert any("sequence numbers" in s for s in reader.fidelity)


@pytest.mark.parametrize("path", LOGS, ids=[p.name[:30] for p in LOGS])
def test_real_logs_sniff_as_iwmon_text(path: Path) -> None:
    import gzip

    with gzip.open(path, "rb") as f:
        assert looks_like_iwmon_text(f.read(4096))


def test_dec9_external_auth_status_0_is_answered_invalid_exchange() -> None:
    """FACTS.md section 4: EXTERNAL_AUTH status 0 -> reply 'Invalid exchange (52)', no CONNECT event."""
    msgs, _ = decode(DEC9)
    req = next(m for m in msgs if m.cmd_name == "EXTERNAL_AUTH" and m.role == "request")
    assert req.value("STATUS_CODE") == 0
    assert req["SSID"].value == "deskSAE"
    assert req["BSSID"].value == "d8:3a:dd:60:a3:0c"
    answer = next(m for m in msgs if m.reply_to == req.index)
    assert answer.role == "error" and answer.error.errno == -52
    assert answer.cmd_name == "EXTERNAL_AUTH"
    after = [m for m in msgs if m.index > answer.index]
    assert not any(m.cmd_name == "CONNECT" and m.role == "event" for m in after)
    stations = [m for m in after if m.cmd_name == "GET_STATION" and m.role == "error"]
    assert len(stations) == 13 and {m.error.errno for m in stations} == {-52}


@pytest.mark.parametrize("path", LOGS, ids=[p.name[:30] for p in LOGS])
def test_external_auth_events_carry_akm_bytes_00_0f_ac_08(path: Path) -> None:
    """iwmon prints the AKM as 'unknown (08:ac:0f) suite 00'; the bytes are 00 0f ac 08 (FACTS.md section 2)."""
    msgs, _ = decode(path)
    events = [m for m in msgs if m.cmd_name == "EXTERNAL_AUTH" and m.role == "event"]
    assert events
    for m in events:
        assert m["AKM_SUITES"].raw == bytes.fromhex("000fac08")
        assert m["EXTERNAL_AUTH_ACTION"].raw == bytes(4)  # START
        assert m["SSID"].value == "deskSAE"


@pytest.mark.parametrize("path", [DEC9, DEC18], ids=["dec9", "dec18"])
def test_iwmon_31_duplicate_tx_status_events_are_duplicate_deliveries(path: Path) -> None:
    msgs, _ = decode(path)
    tx = [m for m in msgs if m.cmd_name == "FRAME_TX_STATUS"]
    dups = [m for m in tx if m.duplicate_of is not None]
    assert len(tx) == 4 and len(dups) == 2
    for m in dups:
        first = next(x for x in msgs if x.index == m.duplicate_of)
        assert first.cmd_name == "FRAME_TX_STATUS" and first.raw == m.raw
        assert 0 < m.timestamp - first.timestamp < 0.0001  # printed 15-25 us apart


def sae_bodies(msgs: list[Message]) -> list:
    """SAE bodies of the decoded frames (external auth: the frames travel in CMD_FRAME)."""
    return [a.decoded.sae for m in msgs for a in m.walk()
            if a.name == "FRAME" and a.decoded is not None and getattr(a.decoded, "sae", None) is not None]


def test_dec18_sae_exchange_eapol_and_4way_timeout() -> None:
    """Commit and confirm both ways, msg1 four times over PAE, then the AP's Disconnect with reason 15."""
    msgs, _ = decode(DEC18)
    kinds = sorted((b.message, b.status) for b in sae_bodies(msgs))
    assert kinds.count(("commit", 0)) >= 2 and kinds.count(("confirm", 0)) >= 2
    eapol = [m for m in msgs if m.protocol == "eapol"]
    assert len(eapol) == 4 and all(m.eapol is not None for m in eapol)
    disconnect = next(m for m in msgs if m.cmd_name == "DISCONNECT" and m.role == "event")
    assert disconnect.value("REASON_CODE") == 15


@pytest.mark.parametrize("path", LOGS, ids=[p.name[:30] for p in LOGS])
def test_sae_bodies_are_group_19(path: Path) -> None:
    """Every commit in the real logs is group 19 with a 32-byte scalar and 64-byte element (FACTS.md section 1)."""
    bodies = sae_bodies(decode(path)[0])
    for b in bodies:
        if b.message == "commit" and b.status == 0:
            assert b.group == 19 and len(b.scalar) == 32 and len(b.element) == 64
        elif b.message == "confirm" and b.status == 0:
            assert len(b.confirm) == 32


@pytest.mark.parametrize("path", LOGS, ids=[p.name[:30] for p in LOGS])
def test_real_logs_give_the_expected_verdicts(path: Path) -> None:
    """The sequencer, unchanged, reaches the verdicts expected.json gives each posted log."""
    from nl80211dec.sequence import Sequencer

    expected = json.loads((REAL / "expected.json").read_text())[f"logs/{path.name}"]
    msgs, _ = decode(path)
    seq = Sequencer()
    attempts = [a for m in msgs for a in seq.feed(m)] + list(seq.finish())
    got = [a.as_dict()["verdict"] for a in sorted(attempts, key=lambda a: a.start_index)]
    assert got == expected

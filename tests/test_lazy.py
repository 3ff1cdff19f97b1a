"""Lazy attribute trees change what is built and when, never what it says.

The decoder defers nested nl80211 sets that hold no 802.11 data (most of a wiphy dump) and counts
their problems with a walk that builds nothing (nl80211/decode.py ``_subtree_problems``).  Here the
lazy and the eager decode must agree on every shipped capture - every message's JSON, the malformed
counts, the attempts - and on damaged and randomly mutated input.
"""

from __future__ import annotations

import json
import random
import struct
from pathlib import Path

import pytest

import nl80211dec
from nl80211dec.nl80211.decode import MAX_DEPTH, Sink, decode_attrs
from nl80211dec.pipeline import decoder as decoder_mod
from nl80211dec.render.jsonl import attrs_json, message_json
from nl80211dec.testing.writers import genl_message, nlattr, nlattrs, pcap_bytes, sll_record

CAPTURES = Path(__file__).resolve().parent.parent / "captures"
ALL = sorted(p for p in CAPTURES.rglob("*.pcap") if "air" not in p.name)
NL80211_ID = 0x1C
NEW_WIPHY, WIPHY, WIPHY_BANDS, BAND_ATTR_FREQS, FREQ, MAX_TX_POWER = 3, 1, 22, 1, 1, 6


def _decode(source: object, lazy: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], dict, list[dict]]:
    """(every message's JSON, the summary, the attempts) of one pass, lazy or eager."""
    monkeypatch.setattr(decoder_mod, "LAZY", lazy)
    cap = nl80211dec.open(source)  # type: ignore[arg-type]
    messages = [message_json(m) for m in cap]
    summary = cap.summary.as_dict()
    attempts = [a.as_dict() for a in cap.attempts()]
    return messages, summary, attempts


@pytest.mark.parametrize("path", ALL, ids=lambda p: str(p.relative_to(CAPTURES)))
def test_lazy_and_eager_agree_on_every_shipped_capture(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lazy = _decode(path, True, monkeypatch)
    eager = _decode(path, False, monkeypatch)
    assert lazy[0] == eager[0]
    assert lazy[1] == eager[1]
    assert json.dumps(lazy[2], sort_keys=True, default=str) == json.dumps(eager[2], sort_keys=True, default=str)


def test_attempts_leave_wiphy_dumps_unbuilt(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of it: the sequencer's pass does not build the nested sets of a wiphy dump."""
    monkeypatch.setattr(decoder_mod, "LAZY", True)
    deferred = 0
    for msg in nl80211dec.open(CAPTURES / "wpas-sae-ok" / "nlmon.pcap"):
        if msg.cmd_name == "NEW_WIPHY":
            deferred += sum(1 for a in msg.attrs if a.lazy is not None)
    assert deferred > 0


def _wiphy(bands: bytes) -> bytes:
    """A NEW_WIPHY reply whose WIPHY_BANDS payload is ``bands`` (built through the schema writers)."""
    attrs = nlattrs([(WIPHY, struct.pack("<I", 0))]) + nlattr(WIPHY_BANDS, bands, nested=True)
    return sll_record(genl_message(NL80211_ID, NEW_WIPHY, attrs, flags=2))


def _freq(payload: bytes) -> bytes:
    return nlattr(0, payload, nested=True)


GOOD_FREQ = nlattrs([(FREQ, struct.pack("<I", 2412)), (MAX_TX_POWER, struct.pack("<I", 2000))])
DAMAGED_BANDS = {
    "u32 of 3 bytes": nlattr(0, nlattr(BAND_ATTR_FREQS, _freq(nlattrs([(FREQ, b"\x6c\x09\x00")])), nested=True),
                             nested=True),
    "attribute runs past its set": nlattr(0, nlattr(BAND_ATTR_FREQS, _freq(GOOD_FREQ + b"\x40\x00\x01\x00"),
                                                    nested=True), nested=True),
    "trailing bytes in an array": nlattr(0, nlattr(BAND_ATTR_FREQS, _freq(GOOD_FREQ) + b"\x01\x02", nested=True),
                                         nested=True),
}


@pytest.mark.parametrize("damage", sorted(DAMAGED_BANDS))
def test_damage_inside_a_deferred_set_is_still_counted(damage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    record = _wiphy(DAMAGED_BANDS[damage])
    data = pcap_bytes([(1.0, record)], linktype=113)
    fams = {"nl80211": NL80211_ID}
    counts = {}
    for lazy in (True, False):
        monkeypatch.setattr(decoder_mod, "LAZY", lazy)
        cap = nl80211dec.open(data, families=fams)
        msgs = list(cap)
        counts[lazy] = (cap.summary.malformed, [m.malformed for m in msgs], [m.attr_problems for m in msgs],
                        [message_json(m) for m in msgs])
    assert counts[True] == counts[False]
    assert counts[True][0] == 1  # the one message is malformed, whether or not anybody looked inside


def test_a_sound_wiphy_dump_is_not_malformed_and_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decoder_mod, "LAZY", True)
    band = nlattr(0, nlattr(BAND_ATTR_FREQS, _freq(GOOD_FREQ), nested=True), nested=True)
    cap = nl80211dec.open(pcap_bytes([(1.0, _wiphy(band))], linktype=113), families={"nl80211": NL80211_ID})
    (msg,) = list(cap)
    assert not msg.malformed and cap.summary.malformed == 0
    bands = msg["WIPHY_BANDS"]  # band 0 -> FREQS -> frequency 0 -> FREQ
    assert bands.lazy is not None
    freq = bands.children[0].children[0].children[0].children[0]  # type: ignore[index]
    assert bands.lazy is None
    assert (freq.name, freq.text) == ("FREQ", "2412 MHz (channel 1)")


def _nl80211_payloads() -> list[bytes]:
    """The distinct nl80211 payloads (after the genl header) of a few shipped captures."""
    out: dict[bytes, None] = {}
    for name in ("wpas-sae-ok", "iwd-sae-ok", "wpas-sae-pmksa-stale"):
        for msg in nl80211dec.open(CAPTURES / name / "nlmon.pcap"):
            if msg.family == "nl80211" and msg.nl_type >= 16 and len(msg.raw) > 20:
                out[msg.raw[20:]] = None
    return list(out)


def _both(payload: bytes, depth: int = 0) -> tuple[tuple[int, str], tuple[int, str]]:
    results = []
    for lazy in (True, False):
        sink = Sink(lazy=lazy)
        attrs = decode_attrs(payload, 0, len(payload), "nl80211_attrs", "<", depth, sink)
        results.append((sink.problems, attrs_json(attrs)))
    return results[0], results[1]


def test_mutated_payloads_count_the_same_problems_lazy_and_eager() -> None:
    """Random byte flips, truncations and length changes of real payloads: the same tree, the same count."""
    rng = random.Random(20)
    payloads = _nl80211_payloads()
    assert payloads
    damaged = 0
    for i in range(3000):
        p = bytearray(rng.choice(payloads))
        for _ in range(rng.randint(1, 4)):
            what = rng.random()
            pos = rng.randrange(len(p))
            if what < 0.5:
                p[pos] = rng.randrange(256)
            elif what < 0.8:
                p[pos:pos + 2] = struct.pack("<H", rng.choice((0, 3, 4, 5, 7, 8, 0xFFFF)) & 0xFFFF)[:len(p) - pos]
            else:
                del p[pos:]
                if not p:
                    p = bytearray(b"\0")
        lazy, eager = _both(bytes(p), depth=rng.choice((0, 0, 0, MAX_DEPTH - 2)))
        assert lazy == eager, i
        damaged += lazy[0] > 0
    assert damaged > 300  # the mutations did reach the deferred walk's checks

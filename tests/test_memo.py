"""The decode memo changes speed, never output: memo on and off must agree byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import nl80211dec
from nl80211dec.cli import main
from nl80211dec.netlink.message import Attr, Message
from nl80211dec.pipeline.memo import MEMO_MAX_PAYLOAD, DecodeMemo, MemoEntry
from nl80211dec.render.jsonl import _default

CAPTURES = Path(__file__).resolve().parent.parent / "captures"
ALL = sorted(p for p in CAPTURES.rglob("*.pcap") if "air" not in p.name)


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    main(argv)
    return capsys.readouterr().out


@pytest.mark.parametrize("path", ALL, ids=lambda p: str(p.relative_to(CAPTURES)))
def test_text_and_json_are_the_same_with_and_without_the_memo(path: Path, capsys):
    for extra in ([], ["--json"]):
        with_memo = _cli([*extra, str(path)], capsys)
        without = _cli([*extra, "--no-memo", str(path)], capsys)
        assert with_memo == without


def test_repeated_payloads_share_one_tree_and_sae_frames_never_do():
    """The second sight of a payload is decoded and kept; the third and later share that tree."""
    path = CAPTURES / "wpas-sae-ok" / "nlmon.pcap"
    seen: dict[tuple[str, bytes], list[Message]] = {}
    shared = 0
    for msg in nl80211dec.open(path):
        if msg.family != "nl80211" or not msg.attrs:
            continue
        earlier = seen.setdefault((msg.order, msg.raw[16:]), [])
        earlier.append(msg)
        carries_frame = any(p.kind in ("frame", "sae") for p in msg.payloads or ())
        if carries_frame or len(earlier) <= 2:
            assert all(msg.attrs is not m.attrs for m in earlier[:-1])  # decoded afresh
            if carries_frame:
                assert msg.shared is None  # SAE context flows between frames: never kept
        else:
            assert msg.attrs is earlier[1].attrs and msg.shared is earlier[1].shared
            shared += 1
    assert shared > 100  # the lab capture repeats wiphy dumps and station polls


def test_without_the_memo_no_tree_is_shared():
    path = CAPTURES / "wpas-sae-ok" / "nlmon.pcap"
    ids = [id(m.attrs) for m in nl80211dec.open(path, memo=False).to_list() if m.attrs]
    assert len(ids) == len(set(ids))


def _entry() -> MemoEntry:
    return MemoEntry(Message(0, 0, 0.0, "generic", b""))


def test_memo_is_least_recently_used_and_bounded_in_entries():
    memo = DecodeMemo(entries=2)
    a, b, c = (("x", bytes([i]) * 8) for i in range(3))
    memo.put(a, _entry())
    memo.put(b, _entry())
    assert memo.get(a) is not None  # a is now the most recent
    memo.put(c, _entry())  # evicts b
    assert memo.get(b) is None and memo.get(a) is not None and memo.get(c) is not None
    assert len(memo) == 2 and memo.hits == 3 and memo.misses == 1


def test_memo_is_bounded_in_bytes_and_skips_huge_payloads():
    memo = DecodeMemo(entries=100, max_bytes=1000)
    for i in range(10):
        memo.put(("x", bytes([i]) * 300), _entry())
    assert memo.bytes <= 1000 and len(memo) == 3
    memo.put(("x", b"\0" * (MEMO_MAX_PAYLOAD + 1)), _entry())
    assert len(memo) == 3


def test_memo_admits_a_payload_on_its_second_sight():
    memo = DecodeMemo(entries=4)
    key = ("x", b"payload")
    assert not memo.admit(key) and memo.admit(key) and not memo.admit(key)
    for i in range(100):  # the doorkeeper's own memory is bounded too
        memo.admit(("x", bytes([i])))
    assert len(memo._once) <= 32


def test_disabled_memo_keeps_nothing():
    memo = DecodeMemo(entries=0)
    memo.put(("x", b"abc"), _entry())
    assert len(memo) == 0


def test_only_element_payloads_are_cacheable():
    ies = Attr(1, "IE", "ies", b"")
    frame = Attr(2, "FRAME", "frame", b"")
    assert DecodeMemo.cacheable(None) and DecodeMemo.cacheable([]) and DecodeMemo.cacheable([ies])
    assert not DecodeMemo.cacheable([ies, frame])


def test_api_values_are_the_same_with_and_without_the_memo():
    """The API with the memo gives the same values as without it, message by message."""
    path = CAPTURES / "iwd-sae-ok" / "iwmon.pcap"
    on = nl80211dec.open(path).to_list()
    off = nl80211dec.open(path, memo=False).to_list()
    assert len(on) == len(off)
    for x, y in zip(on, off, strict=True):
        assert (x.cmd, x.cmd_name, x.header_extra, x.problem) == (y.cmd, y.cmd_name, y.header_extra, y.problem)
        assert [(a.name, a.value, a.text) for a in x.walk()] == [(a.name, a.value, a.text) for a in y.walk()]


@pytest.mark.parametrize("path", ALL, ids=lambda p: str(p.relative_to(CAPTURES)))
def test_fast_json_equals_the_schema_dict_serialised(path: Path):
    from nl80211dec.render.jsonl import message_dict, message_json

    for memo in (True, False):
        for msg in nl80211dec.open(path, memo=memo):
            fast = message_json(msg)
            assert fast == json.dumps(message_dict(msg), separators=(",", ":"), default=_default)
            assert json.loads(fast)["index"] == msg.index


def test_fast_json_survives_odd_values():
    """Hostile family names and int timestamps go through the same equality."""
    from nl80211dec.render.jsonl import message_dict, message_json

    msg = Message(7, 3, 12, "generic", b"")
    msg.family, msg.cmd_name, msg.reply_to = '","malformed":true,"x', "\x1b[31m", 2
    msg.notes.append('quote " and newline \n')
    fast = message_json(msg)
    assert fast == json.dumps(message_dict(msg), separators=(",", ":"), default=_default)
    assert json.loads(fast)["family"] == msg.family

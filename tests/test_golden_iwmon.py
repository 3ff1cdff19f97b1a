"""nl80211dec agrees with iwmon's decode of every shipped iwmon.pcap.

The golden files hold iwmon's own text decode (tools/make_golden.py); these
tests need neither iwmon nor the shared folder.  iwmon prints one line per
message and one line per top-level attribute in wire order, so the two decodes
are walked side by side: same messages, same direction and role, same command
numbers, same attribute count, and equal values wherever iwmon prints a value.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from .golden_util import SCENARIOS, decoded, load_golden, norm

KIND_OF_ROLE = {"request": "Request", "reply": "Result", "ack": "Response", "error": "Response",
                "event": "Event", "done": "Complete"}

# iwmon's names for commands where its words differ from the kernel's
# (checked by hand against iwmon's source table; everything else must match).
IWMON_CMD_WORDS = {"unknown": "unspec", "controlporttxstatus": "controlportframetxstatus"}

INT_RE = re.compile(r"^(-?\d+)(?: \(0x[0-9a-f]+\))?$")
LEN_RE = re.compile(r"^(?:(\d+) )?len (\d+)$")
MAC_RE = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")


def _ours(scenario: str):
    # iwmon consumes the nlctrl GETFAMILY/NEWFAMILY exchange without printing it
    return [m for m in decoded(scenario, "iwmon.pcap")
            if not (m.family == "nlctrl" and m.role in ("request", "reply"))]


def _compare_value(attr, shown: str) -> str | None:
    """None when iwmon's printed value agrees with ours, else a reason."""
    if attr.kind == "string":
        return None if attr.value == shown else f"string {attr.value!r} != {shown!r}"
    m = INT_RE.match(shown)
    if m and attr.kind not in ("binary", "ies", "frame", "sae", "nested", "array"):
        if attr.value != int(m.group(1)) and not (attr.kind == "flag" and attr.value is True):
            return f"value {attr.value!r} != {shown}"
        return None
    m = LEN_RE.match(shown)
    if m:
        if m.group(1) is not None and int(m.group(1)) != attr.num:
            return f"attribute number {attr.num} != {m.group(1)}"
        if int(m.group(2)) != len(attr.raw):
            return f"length {len(attr.raw)} != {m.group(2)}"
        return None
    if MAC_RE.match(shown):
        return None if attr.value == shown else f"MAC {attr.value} != {shown}"
    if shown == "true":
        return None if attr.value is True else f"flag {attr.value!r} != true"
    m = re.search(r"\(([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2})\) suite\s+([0-9a-f]{2})", shown)
    if m and attr.kind == "suite":
        want = int("".join(m.groups()), 16)
        return None if attr.value == want else f"suite {attr.value:#x} != {want:#x}"
    return None  # iwmon prints words (e.g. 'Reason Code: Leaving'); names are checked separately


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_messages_align_with_iwmon(scenario):
    golden = load_golden(scenario, "iwmon.json.gz")["messages"]
    ours = _ours(scenario)
    assert len(ours) == len(golden), "message count differs from iwmon's"
    for i, (msg, ref) in enumerate(zip(ours, golden, strict=True)):
        where = f"{scenario} message {msg.index} (iwmon #{i}: {ref['kind']} {ref['name']})"
        if ref["kind"] == "PAE":  # an EAPoL frame from the PAE socket (FullMAC without control port)
            assert msg.protocol == "eapol" and ref["len"] == len(msg.raw), where
            continue
        assert (ref["dir"] == "<") == (msg.role == "request"), where
        if ref["kind"] == "RTNL":
            assert msg.family == "rtnetlink", where
            assert ref["num"] == msg.nl_type, where
            continue
        if ref["kind"] == "Event" and msg.role == "reply" and msg.reply_to is None:
            # iwmon calls a reply whose request it never saw an event; we keep
            # "reply" (the sequence number says so) and leave reply_to empty.
            pass
        else:
            assert ref["kind"] == KIND_OF_ROLE[msg.role], where
        if msg.nl_type >= 16:
            assert ref["num"] == msg.cmd, where
            assert ref["len"] == msg.length - 20, where
            want = IWMON_CMD_WORDS.get(norm(ref["name"]), norm(ref["name"]))
            assert want == norm(msg.cmd_name), where


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_attributes_agree_with_iwmon(scenario):
    golden = load_golden(scenario, "iwmon.json.gz")["messages"]
    problems = []
    for msg, ref in zip(_ours(scenario), golden, strict=True):
        if msg.family != "nl80211" or msg.nl_type < 16 or any("cleared" in n for n in msg.notes):
            continue
        if len(ref["attrs"]) != len(msg.attrs):
            problems.append(f"message {msg.index}: {len(msg.attrs)} attrs, iwmon shows {len(ref['attrs'])}")
            continue
        for attr, (name, shown, *_nested) in zip(msg.attrs, ref["attrs"], strict=True):
            reason = _compare_value(attr, shown)
            if reason:
                problems.append(f"message {msg.index} {attr.name} / iwmon '{name}': {reason}")
    assert not problems, "\n".join(problems[:20])


def test_iwmon_names_map_to_one_attribute_each():
    """Each name iwmon prints stands for exactly one of our attributes, across all captures."""
    seen: dict[str, set[str]] = defaultdict(set)
    for scenario in SCENARIOS:
        golden = load_golden(scenario, "iwmon.json.gz")["messages"]
        for msg, ref in zip(_ours(scenario), golden, strict=True):
            if msg.family != "nl80211" or msg.nl_type < 16 or len(ref["attrs"]) != len(msg.attrs):
                continue
            for attr, (name, _shown, *_nested) in zip(msg.attrs, ref["attrs"], strict=True):
                if name != "Unknown":
                    seen[name].add(attr.name)
    clashes = {k: v for k, v in seen.items() if len(v) > 1}
    assert not clashes
    assert len(seen) > 60  # the captures exercise many attributes

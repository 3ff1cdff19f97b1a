#!/usr/bin/env python3
"""Generate the table of names iwmon prints, from iwmon's own output.

Why from captures: every lab capture has iwmon's text decode next to the
``iwmon.pcap`` it came from (``iwmon -r iwmon.pcap``), so message i of the
text is record i of the pcap (iwmon prints no nlctrl message, so those are
skipped).  Pairing the printed attribute lines with the decoded attributes
gives each printed label its attribute number, each element label its element
id, and each printed reason text its code - facts read off the tool, not
copied from its source.  A short supplement below adds what only the real
iwmon 3.x field logs show, each entry with where it comes from.

Usage::

    python tools/gen_iwmon_names.py            # rewrite nl80211dec/textlog/iwmon_names.py
    python tools/gen_iwmon_names.py --check    # exit 1 when it is out of date
"""

from __future__ import annotations

import argparse
import gzip
import pprint
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import nl80211dec  # noqa: E402
from nl80211dec.netlink.message import Attr  # noqa: E402
from nl80211dec.nl80211 import enums  # noqa: E402
from nl80211dec.nl80211.policy import spec_for  # noqa: E402
from nl80211dec.textlog.iwmon_fields import field_of  # noqa: E402
from nl80211dec.textlog.iwmon_lines import Block, Line, LineSplitter, blocks  # noqa: E402

OUT = ROOT / "nl80211dec" / "textlog" / "iwmon_names.py"
TOP = "nl80211_attrs"

# Facts only the real field logs show (captures/real-brcmfmac, iwmon 3.1/3.3 on Raspberry Pis),
# where no pcap of the same moment exists: (context, printed label) -> (nl80211.h name, kind).
# The numbers come from the generated kernel enums, so a typo fails the generator.
ATTR_SUPPLEMENT: dict[tuple[str, str], tuple[str, str]] = {
    # 2024-12-21 Pi4 logs, GET_SURVEY results: "RX Time: 20 (0x0000000000000014)", "TX Time: 0 (0x...)"
    ("nl80211_survey_info", "RX Time"): ("TIME_RX", "u64"),
    ("nl80211_survey_info", "TX Time"): ("TIME_TX", "u64"),
    # 2024-12-09 and 2024-12-21 logs, SET_POWER_SAVE request: "PS State: 0 (0x00000000)"
    (TOP, "PS State"): ("PS_STATE", "u32"),
    # 2024-12-18 and 2024-12-21 logs, wiphy dump of brcmfmac: "Roaming Support: true"
    (TOP, "Roaming Support"): ("ROAM_SUPPORT", "flag"),
    # 2024-12-18 and 2025-01-25 logs, iwd's SET_CQM: "RSSI thresholds:" over "Threshold: -70"
    ("nl80211_attr_cqm", "RSSI thresholds"): ("RSSI_THOLD", "s32"),
}
# IEEE 802.11-2020 Table 9-49: reason 15 is the 4-way handshake timeout, printed in the
# 2024-12-18 log ("Reason Code: 4-Way Handshake timeout"); 1 is "Unspecified reason".
REASON_SUPPLEMENT = {"4-Way Handshake timeout": 15, "Unspecified reason": 1}
# 'Tag N' (an element iwmon has no name for) is parsed, not tabled: N is the element id,
# 256 + the extension id for an extension element.
ELEMENT_SUPPLEMENT: dict[str, tuple[int, int]] = {}


def _supplement_number(context: str, name: str) -> int:
    table = enums.ENUMS[context]
    for num, known in table.items():
        if known == name:
            return num
    raise KeyError(f"{context} has no {name}")


def capture_dirs() -> list[Path]:
    """Scenarios with both files, as committed (files not yet committed would make --check differ in CI)."""
    try:
        listed = subprocess.run(["git", "ls-files", "--", "captures"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.split()
        tracked = {ROOT / name for name in listed}
    except (OSError, subprocess.CalledProcessError):
        tracked = None
    dirs = []
    for text in sorted(ROOT.glob("captures/*/iwmon.txt.gz")):
        pcap = text.parent / "iwmon.pcap"
        if pcap.exists() and (tracked is None or {text, pcap} <= tracked):
            dirs.append(text.parent)
    return dirs


def text_blocks(path: Path) -> list[Block]:
    splitter = LineSplitter()
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
        physical = ((i, 0, line) for i, line in enumerate(f, 1))
        return [b for b in blocks(splitter.lines(physical), splitter) if isinstance(b, Block)]


def groups(lines: list[Line], level: int) -> list[tuple[Line, list[Line]]]:
    """Lines at ``level`` with the deeper lines under each."""
    out: list[tuple[Line, list[Line]]] = []
    for line in lines:
        if line.level == level:
            out.append((line, []))
        elif line.level > level and out:
            out[-1][1].append(line)
        else:
            return []
    return out


class Learner:
    def __init__(self) -> None:
        self.attrs: dict[tuple[str, str], Counter[tuple[int, str]]] = defaultdict(Counter)
        self.elements: dict[str, Counter[tuple[int, int]]] = defaultdict(Counter)
        self.reasons: dict[str, Counter[int]] = defaultdict(Counter)
        self.messages = 0
        self.paired = 0

    def message(self, msg: nl80211dec.netlink.message.Message, block: Block) -> None:
        self.messages += 1
        if msg.family != "nl80211" or not msg.attrs:
            return
        if self.learn(TOP, msg.attrs, block.body, 0):
            self.paired += 1

    def learn(self, context: str, attrs: list[Attr], lines: list[Line], level: int) -> bool:
        pairs = groups(lines, level)
        if len(pairs) != len(attrs):
            return False
        for attr, (head, sub) in zip(attrs, pairs, strict=True):
            field = field_of(head.text)
            if field is None or field.label == "Unknown":
                continue
            kind = attr.kind
            if kind == "string" and attr.raw.endswith(b"\0"):
                kind = "strz"
            self.attrs[context, field.label][attr.num, kind] += 1
            spec = spec_for(context, attr.num)
            if attr.kind == "nested" and attr.children and spec.children:
                self.learn(spec.children, attr.children, sub, level + 1)
            elif attr.kind == "ies":
                self.learn_elements(attr.raw, sub, level + 1)
            if attr.name == "REASON_CODE" and field.shape == "text" and isinstance(attr.value, int):
                self.reasons[field.groups[0]][attr.value] += 1
        return True

    def learn_elements(self, raw: bytes, lines: list[Line], level: int) -> None:
        found = []
        pos = 0
        while pos + 2 <= len(raw):
            eid, n = raw[pos], raw[pos + 1]
            ext = raw[pos + 2] if eid == 255 and n else -1
            found.append((eid, ext))
            pos += 2 + n
        pairs = groups(lines, level)
        if len(pairs) != len(found) or pos != len(raw):
            return
        for key, (head, _sub) in zip(found, pairs, strict=True):
            field = field_of(head.text)
            label = field.label if field is not None else head.text
            self.elements[label][key] += 1


def learn_all() -> tuple[Learner, list[str]]:
    learner = Learner()
    notes = []
    for d in capture_dirs():
        msgs = [m for m in nl80211dec.open(d / "iwmon.pcap") if m.family != "nlctrl"]
        text = text_blocks(d / "iwmon.txt.gz")
        agree = sum(1 for m, b in zip(msgs, text, strict=False) if _same_message(m, b))
        notes.append(f"{d.name}: {len(msgs)} pcap messages, {len(text)} text messages, {agree} agree")
        for m, b in zip(msgs, text, strict=False):
            if _same_message(m, b):
                learner.message(m, b)
    return learner, notes


def _same_message(msg, block: Block) -> bool:
    """The header of the text block says the command (or type) the pcap message has."""
    num = block.head["num"]
    if block.head["kind"] == "PAE":
        return msg.protocol == "eapol"
    if num is None:
        return False
    if block.head["kind"] in ("Response", "Complete"):
        return msg.nl_type in (2, 3)
    if block.head["kind"] == "RTNL":
        return msg.protocol == "route" and int(num, 16) in (msg.nl_type, 2, 3)
    return msg.cmd == int(num, 16)


def _winner(counter: Counter) -> object:
    return counter.most_common(1)[0][0]


def render(learner: Learner, notes: list[str]) -> str:
    attrs: dict[str, dict[str, tuple[tuple[int, str], ...]]] = defaultdict(dict)
    for (context, label), counter in sorted(learner.attrs.items()):
        attrs[context][label] = tuple(sorted(counter))  # by number: stable as captures are added
    for (context, label), (name, kind) in ATTR_SUPPLEMENT.items():
        attrs[context].setdefault(label, ((_supplement_number(context, name), kind),))
    elements = {label: _winner(c) for label, c in sorted(learner.elements.items())}
    for label, key in ELEMENT_SUPPLEMENT.items():
        elements.setdefault(label, key)
    reasons = {text: _winner(c) for text, c in sorted(learner.reasons.items())}
    for text, code in REASON_SUPPLEMENT.items():
        reasons.setdefault(text, code)
    lines = [
        '"""Names iwmon prints, mapped back to numbers.',
        "",
        "Generated by tools/gen_iwmon_names.py from the lab captures (iwmon's text next to the",
        "iwmon.pcap it decoded) plus a cited supplement; do not edit.",
        '"""',
        "# sources: every committed captures/*/iwmon.txt.gz with its iwmon.pcap",
        "# (python tools/gen_iwmon_names.py --sources lists them and how many messages paired)",
        "",
        "# context (the decoder's nested-set name) -> printed label -> candidates (attribute number, decoded",
        "# kind): iwmon prints some labels for two attributes (u32 and u64 byte counters)",
        "ATTRS: dict[str, dict[str, tuple[tuple[int, str], ...]]] = " + pprint.pformat(
            {k: dict(sorted(v.items())) for k, v in sorted(attrs.items())}, width=110),
        "",
        "# printed element label -> (element id, extension id or -1)",
        "ELEMENTS: dict[str, tuple[int, int]] = " + pprint.pformat(elements, width=110),
        "",
        "# printed reason text -> IEEE 802.11 reason code",
        "REASONS: dict[str, int] = " + pprint.pformat(reasons, width=110),
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when the committed table is out of date")
    ap.add_argument("--sources", action="store_true", help="list the captures read and how they paired")
    args = ap.parse_args()
    learner, notes = learn_all()
    if args.sources:
        print("\n".join(notes))
        print(f"{learner.paired} of {learner.messages} messages paired attribute by attribute")
        return 0
    text = render(learner, notes)
    if args.check:
        current = OUT.read_text() if OUT.exists() else ""
        if current != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run python tools/gen_iwmon_names.py")
            return 1
        print("up-to-date")
        return 0
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

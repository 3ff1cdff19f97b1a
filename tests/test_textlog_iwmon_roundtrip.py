"""iwmon text read back equals the pcap it was printed from, message by message, field by field.

Each lab capture has ``iwmon.txt.gz`` (``iwmon -r iwmon.pcap``, iwmon 2.3 or
3.8) next to the pcap.  The text is read with :class:`IwmonTextReader`, both
are decoded by the same decoder, and every field is compared: role, command,
flags, errno, request links, duplicates, and each attribute (number, name,
kind, value, text, bytes, decoded frame / elements / SAE body / EAPoL).  The
differences a text input cannot avoid are listed below, each with its reason;
anything else fails.

``python tests/test_textlog_iwmon_roundtrip.py`` prints the agreement figures.
"""

from __future__ import annotations

import gzip
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import nl80211dec
from nl80211dec.netlink.message import Attr, Message
from nl80211dec.pipeline import Decoder
from nl80211dec.sae.layer import Dot11Layer
from nl80211dec.textlog.iwmon import IwmonTextReader
from nl80211dec.textlog.iwmon_lines import Block, LineSplitter, blocks

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path("/work/shared")


def capture_dirs() -> list[Path]:
    """The repository's copies; the shared lab folder only when the repository has none yet."""
    repo = sorted(p.parent for p in ROOT.glob("captures/*/iwmon.txt.gz") if (p.parent / "iwmon.pcap").exists())
    if repo:
        return repo
    return sorted(p.parent for p in SHARED.glob("captures*/*/iwmon.txt") if (p.parent / "iwmon.pcap").exists())


def text_path(d: Path) -> Path:
    gz = d / "iwmon.txt.gz"
    return gz if gz.exists() else d / "iwmon.txt"


# Attributes iwmon prints as a description without their bytes (band tables, bitmaps by name,
# command lists, regulatory rules in MHz, capability bits): missing from the text, by design.
PRINTED_ONLY = {
    "WIPHY_BANDS": "band/rate/frequency tables printed as descriptions",
    "SUPPORTED_IFTYPES": "interface types printed by name",
    "SOFTWARE_IFTYPES": "interface types printed by name",
    "SUPPORTED_COMMANDS": "commands printed by name",
    "TX_FRAME_TYPES": "frame types printed by name",
    "RX_FRAME_TYPES": "frame types printed by name",
    "EXT_FEATURES": "feature bits printed by name",
    "EXT_CAPA": "extended capability bits printed by name",
    "MAC_ADDRS": "address list printed without its entry headers",
    "REG_RULES": "rules printed in MHz with flag names",
    "HT_CAPABILITY": "HT capability fields printed decoded",
}


@dataclass
class Result:
    """What one capture's round trip gave."""

    name: str
    version: str | None
    pcap_messages: int = 0
    text_messages: int = 0
    equal_messages: int = 0
    attributes: int = 0  # pcap attributes of the compared messages
    equal_attributes: int = 0
    equal_frames: int = 0  # of those: 802.11 frames and EAPoL-Key frames, decoded fields equal
    equal_sae: int = 0  # SAE commit/confirm bodies (in a frame or in AUTH_DATA) equal
    allowed: Counter[str] = field(default_factory=Counter)
    unexplained: list[str] = field(default_factory=list)
    not_in_text: Counter[str] = field(default_factory=Counter)


def _header_lines(path: Path) -> list[int]:
    """Header line numbers of every printed message, in order (message i = pcap message i)."""
    splitter = LineSplitter()
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="surrogateescape") as f:
        physical = ((i, 0, t) for i, t in enumerate(f, 1))
        return [b.line.number for b in blocks(splitter.lines(physical), splitter) if isinstance(b, Block)]


def decode_text(path: Path) -> tuple[list[Message], IwmonTextReader]:
    reader = IwmonTextReader(path)
    decoder = Decoder(reader.families, post=Dot11Layer().process)
    return list(decoder.decode_all(reader)), reader


def decoded_view(obj: object) -> object:
    if obj is None:
        return None
    if hasattr(obj, "as_dict"):
        return obj.as_dict()
    if hasattr(obj, "elements"):
        return [e.as_dict() for e in obj.elements]
    return repr(obj)


def attr_view(a: Attr) -> dict:
    view = {"num": a.num, "name": a.name, "kind": a.kind, "value": a.value, "text": a.text, "problem": a.problem,
            "note": a.note, "decoded": decoded_view(a.decoded)}
    if a.children is None:
        view["raw"] = a.raw
    return view


def attr_paths(msg: Message) -> dict[tuple, Attr]:
    out: dict[tuple, Attr] = {}

    def walk(attrs: list[Attr], prefix: tuple) -> None:
        seen: Counter[str] = Counter()
        for a in attrs:
            key = (*prefix, a.name, seen[a.name])
            seen[a.name] += 1
            out[key] = a
            if a.children:
                walk(a.children, key)

    walk(msg.attrs, ())
    return out


def _echo_wiped(pm: Message) -> bool:
    """The pcap's error echoes a request the kernel had zeroed (CLEAR_SKB); iwmon printed it intact."""
    return pm.error is not None and pm.error.echo_cmd == 0


def compare(d: Path) -> Result:
    path = text_path(d)
    tmsgs, reader = decode_text(path)
    pmsgs = [m for m in nl80211dec.open(d / "iwmon.pcap") if m.family != "nlctrl"]
    ordinal = {n: i for i, n in enumerate(_header_lines(path))}
    res = Result(d.name, reader.version, len(pmsgs), len(tmsgs))
    t_pos = {m.index: ordinal[m.line] for m in tmsgs}
    p_pos = {m.index: i for i, m in enumerate(pmsgs)}
    p_by_index = {m.index: m for m in pmsgs}
    rebuilt = {ordinal[m.line] for m in tmsgs}
    for i, pm in enumerate(pmsgs):
        if i not in rebuilt:
            res.not_in_text[f"{pm.protocol} {pm.role}"] += 1
    for tm in tmsgs:
        pm = pmsgs[ordinal[tm.line]]
        where = f"{d.name} line {tm.line} {tm.cmd_name or tm.type_name}"
        problems = _header_differences(tm, pm, t_pos, p_pos, p_by_index, res, pmsgs)
        tp, pp = attr_paths(tm), attr_paths(pm)
        res.attributes += len(pp)
        for key, a in pp.items():
            b = tp.get(key)
            if b is None:
                if key[0] in PRINTED_ONLY:
                    res.allowed[f"printed-only attribute {key[0]}"] += 1
                else:
                    problems.append(f"missing {'/'.join(map(str, key[::2]))}")
            elif attr_view(a) == attr_view(b):
                res.equal_attributes += 1
                if a.kind == "frame" and a.decoded is not None:
                    res.equal_frames += 1
                if getattr(a.decoded, "sae", None) is not None or type(a.decoded).__name__ == "SaeBody":
                    res.equal_sae += 1
            else:
                va, vb = attr_view(a), attr_view(b)
                problems.append(f"{'/'.join(map(str, key[::2]))} differs in {[k for k in va if va[k] != vb[k]]}")
        problems += [f"extra {'/'.join(map(str, k[::2]))}" for k in tp if k not in pp]
        if tm.protocol == "eapol" and (tm.raw != pm.raw or decoded_view(tm.eapol) != decoded_view(pm.eapol)):
            problems.append("EAPoL frame differs")
        if problems:
            res.unexplained += [f"{where}: {p}" for p in problems]
        elif not any(k[0] in PRINTED_ONLY for k in pp if k not in tp):
            res.equal_messages += 1
    return res


def _same_command_requests(a: int | None, b: int | None, pmsgs_by_pos: list[Message]) -> bool:
    if a is None or b is None:
        return False
    ra, rb = pmsgs_by_pos[a], pmsgs_by_pos[b]
    return ra.role == rb.role == "request" and ra.cmd == rb.cmd


def _header_differences(tm: Message, pm: Message, t_pos, p_pos, p_by_index, res: Result,
                        pmsgs_by_pos: list[Message]) -> list[str]:
    out = []
    if tm.role != pm.role:
        if tm.role == "event" and pm.role == "reply":
            res.allowed["iwmon printed a reply as an Event (it had not seen the request)"] += 1
        else:
            out.append(f"role {tm.role} != {pm.role}")
    for name in ("protocol", "family", "flags"):
        if getattr(tm, name) != getattr(pm, name):
            out.append(f"{name} {getattr(tm, name)!r} != {getattr(pm, name)!r}")
    if tm.protocol != "generic" and tm.nl_type != pm.nl_type:
        out.append(f"type {tm.nl_type} != {pm.nl_type}")
    if (tm.error is None) != (pm.error is None) or (tm.error and pm.error and tm.error.errno != pm.error.errno):
        out.append("errno differs")
    if (tm.cmd, tm.cmd_name) != (pm.cmd, pm.cmd_name):
        if _echo_wiped(pm):
            res.allowed["the pcap's error echoes a zeroed request; the text names its command"] += 1
        elif _pcap_link_wrong(pm, p_by_index):
            res.allowed["the pcap decode links an answer by sequence number only (two sockets, one seq)"] += 1
        elif tm.protocol == "route" and tm.cmd is None:
            res.allowed["RTNL answer whose request is not in the text: its type is unknown"] += 1
        else:
            out.append(f"command {tm.cmd_name} != {pm.cmd_name}")
    t_link = t_pos.get(tm.reply_to) if tm.reply_to is not None else None
    p_link = p_pos.get(pm.reply_to) if pm.reply_to is not None else None
    if t_link != p_link:
        if pm.protocol == "route":
            res.allowed["RTNL answer to a request printed without its body (left out)"] += 1
        elif _pcap_link_wrong(pm, p_by_index):
            res.allowed["the pcap decode links an answer by sequence number only (link)"] += 1
        elif pm.role == "reply" and tm.role == "event":
            res.allowed["a reply iwmon printed as an Event links to no request"] += 1
        elif _same_command_requests(t_link, p_link, pmsgs_by_pos):
            res.allowed["answer linked to the other of two outstanding requests of the same command "
                        "(the text carries no sequence number to tell them apart)"] += 1
        else:
            out.append(f"answers message {t_link}, pcap says {p_link}")
    t_dup = t_pos.get(tm.duplicate_of) if tm.duplicate_of is not None else None
    p_dup = p_pos.get(pm.duplicate_of) if pm.duplicate_of is not None else None
    if t_dup != p_dup:
        out.append(f"duplicate of {t_dup}, pcap says {p_dup}")
    return out


def _pcap_link_wrong(pm: Message, p_by_index) -> bool:
    """The pcap decoder matched (or failed to match) an answer by seq alone while the port ids disagree."""
    if pm.role not in ("ack", "error", "reply", "done") or pm.protocol != "generic":
        return False
    req = p_by_index.get(pm.reply_to) if pm.reply_to is not None else None
    if req is not None:
        return req.pid not in (0, pm.pid)
    return True  # the request with this seq was overwritten by another socket's request


CAPTURES = capture_dirs()


@pytest.mark.skipif(not CAPTURES, reason="no iwmon.txt next to an iwmon.pcap")
@pytest.mark.parametrize("d", CAPTURES, ids=[d.name for d in CAPTURES])
def test_text_decodes_like_its_pcap(d: Path) -> None:
    res = compare(d)
    assert not res.unexplained, "\n".join(res.unexplained[:20])
    # every pcap message the text did not give back is one a text cannot hold
    assert set(res.not_in_text) <= {"route request", "route reply", "route event"}, res.not_in_text
    assert res.text_messages >= 0.9 * res.pcap_messages
    assert res.equal_attributes + sum(n for k, n in res.allowed.items() if k.startswith("printed-only")) == \
        res.attributes


def figures(results: list[Result]) -> str:
    """One line per iwmon version: messages, attributes, exact matches, allowed differences."""
    by_version: dict[str, list[Result]] = {}
    for r in results:
        by_version.setdefault(r.version or "?", []).append(r)
    lines = []
    for version, rs in sorted(by_version.items()):
        allowed: Counter[str] = Counter()
        for r in rs:
            allowed.update(r.allowed)
        printed_only = sum(n for k, n in allowed.items() if k.startswith("printed-only"))
        attributes = sum(r.attributes for r in rs)
        lines.append(
            f"iwmon {version}: {len(rs)} captures, {sum(r.pcap_messages for r in rs)} pcap messages "
            f"(nlctrl excluded), {sum(r.text_messages for r in rs)} rebuilt, "
            f"{sum(r.equal_messages for r in rs)} equal in every field and attribute; "
            f"attributes: {attributes} in the pcap, {printed_only} printed without bytes, "
            f"{sum(r.equal_attributes for r in rs)} of the other {attributes - printed_only} equal "
            f"(frames {sum(r.equal_frames for r in rs)}, SAE bodies {sum(r.equal_sae for r in rs)}); "
            f"unexplained differences {sum(len(r.unexplained) for r in rs)}")
        lines += [f"    allowed: {n} x {k}" for k, n in allowed.most_common()]
        not_in: Counter[str] = Counter()
        for r in rs:
            not_in.update(r.not_in_text)
        lines.append(f"    not rebuilt: {dict(not_in)}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(figures([compare(d) for d in CAPTURES]))

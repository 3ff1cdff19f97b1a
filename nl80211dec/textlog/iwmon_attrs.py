"""Printed attribute lines back to nl80211 attribute bytes.

An attribute starts at a line of its nesting level whose label the name
table knows for that nested set; the deeper lines under it are its value's
detail (hexdumps, decoded frames, children).  Each value is rebuilt from what
iwmon printed of it - a hexdump byte for byte, an integer at the width of its
hex spelling, a suite selector from its OUI and type - or, when iwmon printed
only a description (a bitmap, band tables), left out and counted in
:class:`Losses`.  Nothing is filled in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from ..nl80211 import enums
from ..nl80211.policy import spec_for
from . import encode
from .iwmon_fields import Field, field_of
from .iwmon_lines import Line, hex_bytes
from .iwmon_names import ATTRS, ELEMENTS, REASONS

TOP = "nl80211_attrs"
MAX_DEPTH = 8
SIZES = {"u8": 1, "u16": 2, "u32": 4, "u64": 8, "bitmask": 4, "s8": 1, "s16": 2, "s32": 4, "s64": 8}
TAG = re.compile(r"^Tag (\d+)$")
ELEMENT_EXT = 255
LABELS_KEPT = 500  # distinct lost labels counted by name; hostile text must not grow memory


class Losses:
    """What a text lost: attributes left out, by reason and by label."""

    def __init__(self) -> None:
        self.reasons: Counter[str] = Counter()
        self.labels: Counter[str] = Counter()
        self.partial = 0

    def lose(self, reason: str, label: str) -> None:
        self.reasons[reason if len(self.reasons) < LABELS_KEPT else "other"] += 1
        self.labels[label[:80] if len(self.labels) < LABELS_KEPT else "other"] += 1


def hexdump_under(sub: list[Line], level: int) -> bytes:
    """The hexdump lines directly under an attribute line (at ``level``), joined."""
    out = bytearray()
    for line in sub:
        if line.level == level + 1:
            chunk = hex_bytes(line.text)
            if chunk is not None:
                out += chunk
    return bytes(out)


def children(lines: list[Line], level: int) -> list[tuple[Line, list[Line]]]:
    """Lines at ``level``, each with the deeper lines below it; shallower lines end the walk."""
    out: list[tuple[Line, list[Line]]] = []
    for line in lines:
        if line.level <= level - 1:
            break
        if line.level == level or not out:
            out.append((line, []))
        else:
            out[-1][1].append(line)
    return out


NLA_TYPE_MAX = 0x3FFF  # nla_type is 16 bits, the top two are the nested and byte-order flags


def build_attrs(lines: list[Line], level: int, context: str, losses: Losses, depth: int = 0) -> bytes:
    """The attributes printed at ``level`` in ``lines``, as nlattr bytes of nested set ``context``."""
    table = ATTRS.get(context, {})
    out = bytearray()
    for head, sub in children(lines, level):
        if head.level != level:
            losses.lose("lines deeper than their attribute", head.text)
            continue
        field = field_of(head.text)
        if field is None:
            losses.lose("line with no label", head.text)
            continue
        if field.shape == "unspec":  # 'Label: 260 len 4': the number is printed
            data = hexdump_under(sub, level)
            if not 0 <= int(field.groups[0]) <= NLA_TYPE_MAX:  # a number no attribute header can hold
                losses.lose("attribute number out of range", field.label)
            elif len(data) == int(field.groups[1]):
                out += encode.nlattr(int(field.groups[0]), data)
            else:
                losses.lose("hexdump shorter than its length", field.label)
            continue
        candidates = table.get(field.label)
        if candidates is None:
            losses.lose("label not in the name table", f"{context}/{field.label}")
            continue
        built = _value(field, sub, level, context, candidates, losses, depth)
        if built is None:
            continue
        num, payload = built
        out += encode.nlattr(num, payload)
    return bytes(out)


def _value(field: Field, sub: list[Line], level: int, context: str, candidates: tuple[tuple[int, str], ...],
           losses: Losses, depth: int) -> tuple[int, bytes] | None:
    num, kind = _pick(field, candidates)
    builder = SHAPE_BUILDERS.get(field.shape)
    payload = builder(field, sub, level, context, num, kind, losses, depth) if builder else None
    if payload is None:
        losses.lose(f"printed without its bytes ({field.shape}, {kind})", f"{context}/{field.label}")
        return None
    return num, payload


def _pick(field: Field, candidates: tuple[tuple[int, str], ...]) -> tuple[int, str]:
    """The candidate whose size fits what was printed (iwmon gives u32 and u64 counters one label)."""
    if field.shape == "int":
        size = len(field.groups[1]) // 2
        for num, kind in candidates:
            if SIZES.get(kind) == size:
                return num, kind
    return candidates[0]


def _int(field: Field, sub, level, context, num, kind, losses, depth) -> bytes | None:
    return encode.printed_uint(field.groups[0], field.groups[1])


def _flag(field: Field, sub, level, context, num, kind, losses, depth) -> bytes | None:
    return b""


def _mac(field: Field, sub, level, context, num, kind, losses, depth) -> bytes | None:
    return encode.mac(field.groups[0])


def _signed(field: Field, sub, level, context, num, kind, losses, depth) -> bytes | None:
    if kind in ("string", "strz"):  # 'Regulatory Alpha2: 00' is a string that reads as a number
        return _text(Field(field.label, "text", field.groups), sub, level, context, num, kind, losses, depth)
    value = int(field.groups[0])
    if kind in SIGNED_KINDS:
        return encode.sint(value, kind)
    size = SIZES.get(kind)  # a signed value in an unsigned attribute ('Noise dBm: -72' in a u8)
    return None if size is None else encode.uint(value % (1 << 8 * size), size)


SIGNED_KINDS = frozenset(("s8", "s16", "s32", "s64"))


def _len(field: Field, sub, level, context, num, kind, losses, depth) -> bytes | None:
    """'Label: len N': a hexdump, elements, nested attributes or a station-flag update."""
    size = int(field.groups[0])
    data = hexdump_under(sub, level)
    if len(data) == size:
        return data
    if kind == "ies":
        return _elements(sub, level + 1, size, losses)
    if kind == "nested" and depth < MAX_DEPTH:
        child = spec_for(context, num).children
        if child is not None:
            data = build_attrs(sub, level + 1, child, losses, depth + 1)
            if len(data) != size:
                losses.partial += 1
            return data
    if kind == "sta_flag_update":
        return _sta_flags(sub, level + 1)
    if kind in INDEXED:
        return _indexed(sub, level + 1)
    return None


INDEXED = frozenset(("freqs", "ssids"))


def _indexed(sub: list[Line], level: int) -> bytes | None:
    """An array iwmon prints one entry a line, labelled by its index ('0: 2412 (0x0000096c)', '0: len 7')."""
    out = bytearray()
    for head, lines in children(sub, level):
        field = field_of(head.text)
        if head.level != level or field is None or not field.label.isdigit():
            return None
        if field.shape == "int":
            payload = encode.printed_uint(field.groups[0], field.groups[1])
        elif field.shape == "len":
            payload = hexdump_under(lines, level)
            payload = payload if len(payload) == int(field.groups[0]) else None
        else:
            payload = None
        if payload is None:
            return None
        out += encode.nlattr(int(field.label), payload)
    return bytes(out)


def _list(field: Field, sub, level, context, num, kind, losses, depth) -> bytes | None:
    """'Label:' and one value per line below: suite selectors, or signed thresholds ('Threshold: -70')."""
    if kind not in ("suites", "suite") and kind not in SIGNED_KINDS:
        return None
    out = bytearray()
    for line in sub:
        if line.level != level + 1:
            continue
        if kind in SIGNED_KINDS:
            item = field_of(line.text)
            value = encode.sint(int(item.groups[0]), kind) if item and item.shape == "signed" else None
        else:
            value = encode.suite(line.text)
        if value is None:
            return None
        out += value
    return bytes(out)


def _text(field: Field, sub, level, context, num, kind, losses, depth) -> bytes | None:
    """'Label: words': a suite, a string, a named value, a reason, or a hex-spelled number."""
    text = field.groups[0]
    if kind in ("suite", "suites"):
        return encode.suite(text)
    if kind in ("string", "strz"):
        return text.encode("utf-8", "surrogateescape") + (b"\0" if kind == "strz" else b"")
    size = SIZES.get(kind)
    if size is None:
        return None
    if field.label == "Reason Code" and text in REASONS:
        return encode.uint(REASONS[text], size)
    value = encode.hex_value(text)
    if value is None:
        value = _enum_value(context, num, text)
    return None if value is None else encode.uint(value, size)


def _enum_value(context: str, num: int, text: str) -> int | None:
    """A value iwmon prints by name ('Key Type: Pairwise', 'RSSI threshold event: High').

    The name must be the kernel enum's name or its last words, and only one
    enum member may fit.
    """
    enum = spec_for(context, num).enum
    wanted = text.upper().replace(" ", "_").replace("-", "_")
    fits = [value for value, name in enums.ENUMS.get(enum or "", {}).items()
            if name == wanted or name.endswith("_" + wanted)]
    return fits[0] if len(fits) == 1 else None


def _sta_flags(sub: list[Line], level: int) -> bytes | None:
    """'Mask: 0x...' and 'Set: 0x...' lines: NL80211_ATTR_STA_FLAGS2's two u32."""
    words: dict[str, int] = {}
    for line in sub:
        if line.level == level and line.text.startswith(("Mask:", "Set:")):
            value = encode.hex_value(line.text)
            if value is not None:
                words[line.text.split(":", 1)[0]] = value
    if set(words) != {"Mask", "Set"}:
        return None
    return (encode.uint(words["Mask"], 4) or b"") + (encode.uint(words["Set"], 4) or b"")


def element_id(label: str) -> tuple[int, int] | None:
    """(element id, extension id or -1) of a printed element label."""
    known = ELEMENTS.get(label)
    if known is not None:
        return known
    m = TAG.match(label)
    if m is None:
        return None
    n = int(m.group(1))
    return (n, -1) if n < 256 else (ELEMENT_EXT, n - 256)


def _elements(sub: list[Line], level: int, size: int, losses: Losses) -> bytes | None:
    """Elements, each rebuilt from its label (the id) and the hexdump under it (the body).

    iwmon prints a few elements over two lines of the same level (Supported
    Operating Classes: 'Current Operating Class: 81', then 'Supported Operating
    Class: 81' with the hexdump), so a line with an unknown label continues the
    element above it.
    """
    found: list[tuple[tuple[int, int], bytearray]] = []
    for head, lines in children(sub, level):
        if head.level != level or hex_bytes(head.text) is not None:
            continue
        field = field_of(head.text)
        label = field.label if field is not None else head.text
        key = element_id(label)
        if key is None and not found:
            losses.lose("element label not in the name table", f"element/{label}")
            continue
        if key is not None:
            found.append((key, bytearray()))
        found[-1][1].extend(hexdump_under(lines, level))
    out = bytearray()
    for (eid, ext), body in found:
        if ext >= 0:
            body = bytearray([ext]) + body
        if len(body) > 255:
            losses.lose("element longer than an element can be", f"element/{eid}")
            continue
        out += bytes([eid, len(body)]) + body
    if len(out) != size:
        losses.partial += 1
    return bytes(out)


Builder = Callable[..., "bytes | None"]
SHAPE_BUILDERS: dict[str, Builder] = {
    "int": _int, "flag": _flag, "mac": _mac, "signed": _signed, "len": _len, "list": _list, "text": _text,
}

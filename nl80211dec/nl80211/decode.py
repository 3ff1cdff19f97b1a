"""nl80211 attributes: names from the generated enums, types from the policy.

Every attribute is kept: an unknown number becomes ``UNKNOWN_<n>`` with its
bytes, a payload that does not fit its type keeps its bytes and a ``problem``.
Frames, element lists and SAE bodies are left for the 802.11 layer.
"""

from __future__ import annotations

import struct

from ..netlink.core import NLA_HEADERS, iter_attrs
from ..netlink.message import Attr
from ..netlink.values import FIXED, FIXED_STRUCTS, scalar
from ..wire import ieee80211 as dot11_enums
from ..wire.suites import suite_text
from ..wire.text import named, text_of
from . import enums
from .policy import DEFAULT, Spec, spec_for

MAX_DEPTH = 12  # deeper than any nl80211 policy nests; bounds hostile input

# Attributes whose u32 value is a frequency in MHz (by nested set).
FREQUENCY_ATTRS = {
    ("nl80211_attrs", "WIPHY_FREQ"), ("nl80211_attrs", "CENTER_FREQ1"), ("nl80211_attrs", "CENTER_FREQ2"),
    ("nl80211_attrs", "WIPHY_FREQ_HINT"), ("nl80211_bss", "FREQUENCY"), ("nl80211_frequency_attr", "FREQ"),
    ("nl80211_survey_info", "FREQUENCY"),
}


def channel_of(freq: int) -> int | None:
    """IEEE channel number of a centre frequency in MHz (2.4/5/6/60 GHz bands)."""
    if freq == 2484:
        return 14
    if 2407 < freq < 2484:
        return (freq - 2407) // 5
    if freq == 5935:
        return 2
    if 5950 < freq <= 7115:
        return (freq - 5950) // 5
    if 4910 <= freq <= 5895:
        return (freq - 5000) // 5 if freq >= 5000 else (freq - 4000) // 5
    if 58320 <= freq <= 70200:
        return (freq - 56160) // 2160
    return None


def _enum_table(name: str | None) -> dict[int, str]:
    if not name:
        return {}
    if name.startswith("dot11:"):
        return getattr(dot11_enums, name[6:])
    return enums.ENUMS.get(name, {})


def _mask_names(value: int, table: dict[int, str], *, bit_numbers: bool = False) -> str:
    names = []
    rest = value
    for v, n in sorted(table.items()):
        bit = (1 << v) if bit_numbers else v
        if bit and value & bit == bit and bit & (bit - 1) == 0:
            names.append(n)
            rest &= ~bit
    if rest:
        names.append(f"{rest:#x}")
    return f"{value:#x}" + (f" ({', '.join(names)})" if names else "")


MAX_ATTRS = 16384  # attributes decoded per message: a hostile 1 MiB record must not cost hundreds of MB
MAX_LIST = 4096  # entries of one list attribute (frequencies, SSIDs, interface types ...)
MAX_BITMAP = 64  # bytes of a bitmap shown bit by bit (nl80211's largest, EXT_FEATURES, has about 10)


# A message this small cannot reach MAX_ATTRS (every attribute walked has a header of its own, 4 bytes
# at least), so where the budget runs out cannot depend on what was deferred: only these may be lazy.
LAZY_MAX_BYTES = 4 * MAX_ATTRS - 64


class Sink:
    """What one decoding pass collects on the side, so nobody walks the tree again.

    ``lazy`` defers nested sets that hold no frame, element or SAE data (the 802.11 layer needs
    those at once): their problems are counted now by :func:`_subtree_problems`, their attribute
    objects are built when somebody reads ``children``.
    """

    __slots__ = ("problems", "payloads", "left", "lazy")

    def __init__(self, lazy: bool = False) -> None:
        self.problems = 0
        self.payloads: list[Attr] = []
        self.left = MAX_ATTRS  # attributes this message may still decode
        self.lazy = lazy


_PAYLOAD_KINDS = frozenset(("ies", "frame", "sae"))
_NESTING_KINDS = frozenset(("nested", "array"))
_TABLES: dict[str, dict[int, tuple]] = {}
_UNKNOWN_SPEC = (DEFAULT, None, None, False, False)


def _table_specs(table: str) -> dict[int, tuple]:
    """num -> (name, kind, spec, fixed-size, enum names, is frequency, may be deferred), built once per table."""
    cached = _TABLES.get(table)
    if cached is None:
        names = enums.ENUMS.get(table, {})
        cached = {}
        for num in set(names) | set(_policy_numbers(table)):
            name = names.get(num) or f"UNKNOWN_{num}"
            spec = spec_for(table, num) if names else DEFAULT
            size = FIXED[spec.kind][0] if spec.kind in FIXED else None
            enum_table = _enum_table(spec.enum) if spec.enum and size is not None else None
            deferrable = spec.kind in _NESTING_KINDS and not _holds_payloads(spec.children or "", set())
            cached[num] = (name, spec.kind, spec, size, enum_table, (table, name) in FREQUENCY_ATTRS, deferrable)
        _TABLES[table] = cached
    return cached


def _holds_payloads(table: str, seen: set[str]) -> bool:
    """True when attributes of ``table``, or of a set nested in it, are frames, elements or SAE data."""
    if table in seen:
        return False
    seen.add(table)
    from .policy import SPECS

    names = enums.ENUMS.get(table, {})
    for num in set(names) | set(SPECS.get(table, {})):
        spec = spec_for(table, num) if names else DEFAULT
        if spec.kind in _PAYLOAD_KINDS or (spec.kind in _NESTING_KINDS and _holds_payloads(spec.children or "", seen)):
            return True
    return False


def _policy_numbers(table: str) -> list[int]:
    from .policy import SPECS

    return list(SPECS.get(table, {}))


def decode_attrs(buf: bytes, start: int, end: int, table: str = "nl80211_attrs", order: str = "<",
                 depth: int = 0, sink: Sink | None = None) -> list[Attr]:
    """Decode the attributes in ``buf[start:end]`` named by enum ``table``.

    The hot path of the whole decoder: fixed-size values are unpacked inline
    with precomputed structs; everything else goes through :func:`_decode_one`.
    """
    specs = _table_specs(table)
    unpack = NLA_HEADERS[order].unpack_from
    out: list[Attr] = []
    append = out.append
    pos = start
    while pos < end:
        if sink is not None:
            sink.left -= 1
            if sink.left < 0:
                if sink.left == -1:  # said once, where the budget ran out
                    append(Attr(0, "NOT_DECODED", "binary", b"",
                                note=f"{end - pos} more bytes of attributes not decoded (bounded: {MAX_ATTRS} "
                                     "attributes per message)"))
                break
        if end - pos < 4:
            a = Attr(0, "UNKNOWN_0", "binary", bytes(buf[pos:end]),
                     problem=f"{end - pos} trailing bytes, shorter than an attribute header")
            append(a)
            if sink is not None:
                sink.problems += 1
            break
        alen, atype = unpack(buf, pos)
        num = atype & 0x3FFF
        sp = specs.get(num)
        if sp is None:
            sp = (f"UNKNOWN_{num}", "binary", *_UNKNOWN_SPEC)
        if alen < 4 or pos + alen > end:
            why = (f"attribute length {alen} is below 4" if alen < 4 else
                   f"attribute length {alen} runs past the end ({end - pos} bytes left)")
            append(Attr(num, sp[0], "binary", bytes(buf[pos + 4 if alen >= 4 else pos:end]), problem=why))
            if sink is not None:
                sink.problems += 1
            break
        s = pos + 4
        e = pos + alen
        pos += (alen + 3) & ~3
        name, kind, spec, size, enum_table, is_freq, deferrable = sp
        if size is not None and e - s == size:
            value = FIXED_STRUCTS[kind, order].unpack_from(buf, s)[0]
            a = Attr(num, name, kind, buf[s:e], value)
            if enum_table is not None:
                a.text = named(value, enum_table)
            elif is_freq:
                ch = channel_of(value)
                a.text = f"{value} MHz" + (f" (channel {ch})" if ch is not None else "")
            append(a)
            continue
        if deferrable and sink is not None and sink.lazy and depth < MAX_DEPTH:
            a = Attr(num, name, kind, bytes(buf[s:e]))
            child_table = spec.children or ""
            a.lazy = (_children_of, buf, s, e, kind, child_table, order, depth)
            sink.problems += _subtree_problems(buf, s, e, kind, child_table, order, depth)
            append(a)
            continue
        a = _decode_one(buf, s, e, num, name, spec, table, order, depth, sink)
        append(a)
        if sink is not None:
            if a.problem is not None:
                sink.problems += 1
            if a.kind in _PAYLOAD_KINDS:
                sink.payloads.append(a)
    return out


def _decode_one(buf: bytes, s: int, e: int, num: int, name: str, spec: Spec, table: str, order: str,
                depth: int, sink: Sink | None = None) -> Attr:
    kind = spec.kind
    raw = bytes(buf[s:e])
    attr = Attr(num, name, kind, raw)
    if kind in FIXED and s == e:
        # nl80211 also uses some scalar attributes as empty flags (e.g.
        # CONTROL_PORT_ETHERTYPE in wiphy dumps says "supported")
        attr.kind, attr.value, attr.note = "flag", True, f"empty {kind} attribute: used as a flag here"
        return attr
    if kind in FIXED or kind in ("flag", "string", "mac"):
        value, problem = scalar(kind, buf, s, e, order)
        attr.value, attr.problem = value, problem
        if problem is None and isinstance(value, int) and kind != "flag":
            if spec.enum:
                attr.text = named(value, _enum_table(spec.enum))
            elif (table, name) in FREQUENCY_ATTRS:
                ch = channel_of(value)
                attr.text = f"{value} MHz" + (f" (channel {ch})" if ch is not None else "")
        return attr
    if kind == "ssid":
        attr.value = text_of(raw)
        return attr
    if kind == "bitmask":
        value, problem = scalar("u32", buf, s, e, order)
        attr.value, attr.problem = value, problem
        if problem is None and spec.enum:
            attr.text = _mask_names(value, _enum_table(spec.enum))  # type: ignore[arg-type]
        return attr
    if kind == "bitmap":
        if len(raw) > MAX_BITMAP:
            attr.note = f"a bitmap of {len(raw)} bytes is larger than any nl80211 defines: shown as bytes"
            return attr
        bits = [i for i in range(len(raw) * 8) if raw[i // 8] >> (i % 8) & 1]
        table_ = _enum_table(spec.enum)
        attr.value = [table_.get(b, str(b)) for b in bits]
        return attr
    if kind in ("suite", "suites"):
        if len(raw) % 4 or (kind == "suite" and len(raw) != 4):
            attr.problem = f"suite selectors need a multiple of 4 bytes, has {len(raw)}"
            return attr
        table_ = dot11_enums.AKM_SUITES if "AKM" in name else dot11_enums.CIPHER_SUITES
        values = list(struct.unpack(f"{order}{len(raw) // 4}I", raw))
        texts, notes = [], []
        for v in values:
            t, n = suite_text(v, table_)
            texts.append(t)
            if n:
                notes.append(n)
        attr.value = values[0] if kind == "suite" else values
        attr.text = ", ".join(texts)
        attr.note = notes[0] if notes else None
        return attr
    if kind == "sta_flag_update":
        if len(raw) != 8:
            attr.problem = f"sta_flag_update needs 8 bytes, has {len(raw)}"
            return attr
        mask, setv = struct.unpack(order + "II", raw)
        flags = enums.ENUMS["nl80211_sta_flags"]
        attr.value = {"mask": mask, "set": setv}
        attr.text = (f"mask {_mask_names(mask, flags, bit_numbers=True)}, "
                     f"set {_mask_names(setv, flags, bit_numbers=True)}")
        return attr
    if kind in ("ies", "frame", "sae", "binary"):
        return attr
    # everything below holds nested attributes
    if depth >= MAX_DEPTH:
        attr.problem = f"nesting deeper than {MAX_DEPTH} levels"
        return attr
    if kind in _NESTING_KINDS:
        attr.children = _children_of(buf, s, e, kind, spec.children or "", order, depth, sink)
    elif kind in ("iftype_flags", "u32s", "freqs", "ssids", "frame_types"):
        attr.children = _decode_list(buf, s, e, kind, spec, order, depth)
        if sink is not None:
            sink.problems += _problems_in(attr.children)
    else:
        attr.problem = f"no decoder for kind {kind}"
    return attr


def _children_of(buf: bytes, s: int, e: int, kind: str, table: str, order: str, depth: int,
                 sink: Sink | None = None) -> list[Attr]:
    """The children of a nested set or an array (of nested sets) at ``depth``.

    Also what a deferred attribute calls on first access, without a sink: its problems were
    counted when it was deferred and it holds no payloads.
    """
    if kind == "nested":
        return decode_attrs(buf, s, e, table, order, depth + 1, sink)
    children = []
    for idx, _f, cs, ce, problem in iter_attrs(buf, s, e, order):
        child = Attr(idx, str(idx), "nested", bytes(buf[cs:ce]), problem=problem)
        if problem is None:
            child.children = decode_attrs(buf, cs, ce, table, order, depth + 2, sink)
        elif sink is not None:
            sink.problems += 1
        children.append(child)
    return children


def _subtree_problems(buf: bytes, s: int, e: int, kind: str, table: str, order: str, depth: int) -> int:
    """What decoding a deferred nested set or array would add to ``Sink.problems``, without building it.

    Mirrors :func:`decode_attrs` and :func:`_decode_one` (tests/test_lazy.py holds the two counts
    equal on every shipped capture and on damaged input): the structural checks and the scalar
    size checks, no objects.
    """
    if kind == "nested":
        return _problems(buf, s, e, table, order, depth + 1)
    n = 0
    for _idx, _f, cs, ce, problem in iter_attrs(buf, s, e, order):
        n += 1 if problem is not None else _problems(buf, cs, ce, table, order, depth + 2)
    return n


def _problems(buf: bytes, start: int, end: int, table: str, order: str, depth: int) -> int:
    """The problems :func:`decode_attrs` would count in ``buf[start:end]`` (no attribute budget: see LAZY_MAX_BYTES)."""
    specs = _table_specs(table)
    unpack = NLA_HEADERS[order].unpack_from
    n = 0
    pos = start
    while pos < end:
        if end - pos < 4:
            return n + 1
        alen, atype = unpack(buf, pos)
        if alen < 4 or pos + alen > end:
            return n + 1
        s = pos + 4
        e = pos + alen
        pos += (alen + 3) & ~3
        sp = specs.get(atype & 0x3FFF)
        if sp is None:
            continue  # unknown: kept as bytes, never a problem
        kind, spec, size = sp[1], sp[2], sp[3]
        if size is not None and e - s == size:
            continue
        if kind in FIXED:
            n += 1 if s != e else 0  # wrong size; empty is a flag
        elif kind in ("flag", "mac", "bitmask"):
            n += scalar("u32" if kind == "bitmask" else kind, buf, s, e, order)[1] is not None
        elif kind in ("suite", "suites"):
            n += bool((e - s) % 4 or (kind == "suite" and e - s != 4))
        elif kind == "sta_flag_update":
            n += e - s != 8
        elif kind in _SIMPLE_KINDS:
            pass
        elif depth >= MAX_DEPTH:
            n += 1
        elif kind in _NESTING_KINDS:
            n += _subtree_problems(buf, s, e, kind, spec.children or "", order, depth)
        elif kind in _LIST_KINDS:
            n += _list_problems(buf, s, e, kind, order, depth)
        else:
            n += 1  # no decoder for the kind
    return n


_SIMPLE_KINDS = frozenset(("string", "ssid", "bitmap", "ies", "frame", "sae", "binary"))
_LIST_KINDS = frozenset(("iftype_flags", "u32s", "freqs", "ssids", "frame_types"))


def _problems_in(children: list[Attr]) -> int:
    """Malformed entries of a list built by _decode_list (two levels at most)."""
    n = 0
    for c in children:
        if c.problem is not None:
            n += 1
        for g in c.children or ():
            if g.problem is not None:
                n += 1
    return n


def _list_problems(buf: bytes, s: int, e: int, kind: str, order: str, depth: int) -> int:
    """``_problems_in(_decode_list(...))`` without the objects: the lists of a wiphy dump (frame types
    per interface type above all) are most of what a deferred tree's problem count used to build."""
    n = 0
    for entries, (_idx, _f, cs, ce, problem) in enumerate(iter_attrs(buf, s, e, order)):
        if entries >= MAX_LIST:
            break
        if problem is not None:
            return n + 1
        if kind == "u32s":
            n += scalar("u32", buf, cs, ce, order)[1] is not None
        elif kind == "frame_types" and depth + 2 <= MAX_DEPTH:
            for _num, _g, fs, fe, prob in iter_attrs(buf, cs, ce, order):
                if prob:
                    n += 1
                    break
                n += scalar("u16", buf, fs, fe, order)[1] is not None
    return n


def _decode_list(buf: bytes, s: int, e: int, kind: str, spec: Spec, order: str, depth: int) -> list[Attr]:
    """Nested sets whose children are indexes or enum members of one type."""
    iftypes = enums.ENUMS["nl80211_iftype"]
    out: list[Attr] = []
    for idx, _f, cs, ce, problem in iter_attrs(buf, s, e, order):
        if len(out) >= MAX_LIST:
            out.append(Attr(0, "NOT_DECODED", "binary", b"", note=f"more entries not decoded (bounded: {MAX_LIST})"))
            break
        raw = bytes(buf[cs:ce])
        if problem is not None:
            out.append(Attr(idx, str(idx), "binary", raw, problem=problem))
            break
        if kind == "iftype_flags":
            child = Attr(idx, iftypes.get(idx, f"UNKNOWN_{idx}"), "flag", raw, value=True)
        elif kind == "u32s":
            value, problem = scalar("u32", buf, cs, ce, order)
            child = Attr(idx, str(idx), "u32", raw, value=value, problem=problem)
            if problem is None:
                child.text = named(value, _enum_table(spec.enum))  # type: ignore[arg-type]
        elif kind == "freqs":
            value, problem = scalar("u32", buf, cs, ce, order)
            child = Attr(idx, str(idx), "u32", raw, value=value, problem=problem)
            if problem is None:
                ch = channel_of(value)  # type: ignore[arg-type]
                child.text = f"{value} MHz" + (f" (channel {ch})" if ch is not None else "")
        elif kind == "ssids":
            child = Attr(idx, str(idx), "ssid", raw, value=text_of(raw))
        else:  # frame_types: per iftype, a list of FRAME_TYPE u16 values
            child = Attr(idx, iftypes.get(idx, f"UNKNOWN_{idx}"), "nested", raw)
            child.children = []
            if depth + 2 <= MAX_DEPTH:
                for num, _g, fs, fe, prob in iter_attrs(buf, cs, ce, order):
                    value, prob2 = (None, prob) if prob else scalar("u16", buf, fs, fe, order)
                    ft = Attr(num, enums.ATTRS.get(num, f"UNKNOWN_{num}"), "u16", bytes(buf[fs:fe]),
                              value=value, problem=prob2)
                    if value is not None:
                        ft.text = f"{value:#06x}"
                    child.children.append(ft)
                    if prob:
                        break
        out.append(child)
    return out


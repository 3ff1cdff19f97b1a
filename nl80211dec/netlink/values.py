"""Scalar attribute payloads shared by every netlink family.

One table from kind to (size, struct format) serves all fixed-size kinds, so
a family only has to say which kind an attribute is.
"""

from __future__ import annotations

import struct

from ..wire.text import format_mac, text_of
from .core import iter_attrs
from .message import Attr

FIXED = {
    "u8": (1, "B"), "u16": (2, "H"), "u32": (4, "I"), "u64": (8, "Q"),
    "s8": (1, "b"), "s16": (2, "h"), "s32": (4, "i"), "s64": (8, "q"),
    "be16": (2, ">H"), "be32": (4, ">I"),
}
FIXED_STRUCTS = {(k, o): struct.Struct(f if f.startswith(">") else o + f) for k, (_, f) in FIXED.items()
                 for o in "<>"}


def scalar(kind: str, buf: bytes, start: int, end: int, order: str = "<") -> tuple[object, str | None]:
    """Decode a fixed-size or string-like payload; (value, problem)."""
    n = end - start
    fixed = FIXED.get(kind)
    if fixed is not None:
        size = fixed[0]
        if n != size:
            return None, f"{kind} needs {size} bytes, has {n}"
        return FIXED_STRUCTS[kind, order].unpack_from(buf, start)[0], None
    if kind == "flag":
        return True, (None if n == 0 else f"flag carries {n} bytes")
    if kind == "string":
        raw = bytes(buf[start:end])
        nul = raw.find(b"\0")
        if nul >= 0:
            raw = raw[:nul]
        return text_of(raw), None
    if kind == "mac":
        if n != 6:
            return None, f"MAC address needs 6 bytes, has {n}"
        return format_mac(buf[start:end]), None
    return None, None


def scalar_attr(num: int, table: dict[int, tuple[str, str]], buf: bytes, start: int, end: int,
                order: str = "<", problem: str | None = None) -> Attr:
    """One attribute of a scalar kind named by ``table`` (num -> (name, kind))."""
    name, kind = table.get(num, (f"UNKNOWN_{num}", "binary"))
    a = Attr(num, name, kind, bytes(buf[start:end]), problem=problem)
    if problem is None and kind != "binary":
        a.value, a.problem = scalar(kind, buf, start, end, order)
    return a


def flat_attrs(buf: bytes, start: int, end: int, table: dict[int, tuple[str, str]], order: str = "<") -> list[Attr]:
    """All attributes in ``buf[start:end]`` as :func:`scalar_attr`; the walk stops at damage."""
    out = []
    for num, _flags, s, e, problem in iter_attrs(buf, start, end, order):
        out.append(scalar_attr(num, table, buf, s, e, order, problem))
        if problem:
            break
    return out

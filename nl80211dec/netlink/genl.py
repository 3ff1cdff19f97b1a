"""Generic netlink: the genl header, nlctrl messages and the family map.

Family ids are handed out at boot, so the capture itself must say which id is
nl80211: CTRL_CMD_NEWFAMILY does.  Where it does not, the caller may name the
id (``--family nl80211=0x1c``) or let :class:`FamilyMap` assume it from the
shape of the traffic; either way the messages say where the name came from.
"""

from __future__ import annotations

import struct

from . import enums
from .core import NLA_HEADERS, iter_attrs
from .message import Attr, Message
from .values import FIXED_STRUCTS, flat_attrs, scalar_attr

GENL_ID_CTRL = 0x10

def _kinds(table: dict[int, tuple[str, str]], kinds: dict[str, str]) -> dict[int, tuple[str, str]]:
    """nlctrl names (from the generated table) with the scalar kinds nl80211dec decodes."""
    return {num: (name, kinds.get(name, "binary")) for num, (name, _pyroute2_type) in table.items()}


CTRL_ATTRS = _kinds(enums.CTRL_ATTRS, {"FAMILY_ID": "u16", "FAMILY_NAME": "string", "VERSION": "u32",
                                       "HDRSIZE": "u32", "MAXATTR": "u32", "OP": "u32"})
CTRL_MCAST_ATTRS = _kinds(enums.CTRL_MCAST_ATTRS, {"NAME": "string", "ID": "u32"})


# one operation entry as the kernel writes it: nlattr header, then OP_ID and OP_FLAGS as u32 attributes
_OP20 = {o: struct.Struct(o + "HHHHIHHI") for o in "<>"}


def _ops(num: int, buf: bytes, s: int, e: int, order: str) -> Attr:
    """CTRL_ATTR_OPS as one attribute: a list of {id, flags} (a family has hundreds of ops).

    A tree of three attribute objects per op made nlctrl replies the costliest
    messages of a capture; the flat list says the same.
    """
    ops: list[dict[str, int]] = []
    a = Attr(num, "OPS", "ops", buf[s:e], value=ops)
    unpack = NLA_HEADERS[order].unpack_from
    u32 = FIXED_STRUCTS[("u32", order)].unpack_from
    op20 = _OP20[order].unpack_from
    pos = s
    while pos + 4 <= e:
        if pos + 20 <= e:  # the usual entry, {OP_ID u32, OP_FLAGS u32} in 20 bytes: one unpack
            olen, _idx, l1, t1, v1, l2, t2, v2 = op20(buf, pos)
            if olen == 20 and l1 == 8 and l2 == 8 and t1 & 0x3FFF == 1 and t2 & 0x3FFF == 2:
                ops.append({"id": v1, "flags": v2})
                pos += 20
                continue
        olen, _idx = unpack(buf, pos)
        if olen < 4 or pos + olen > e:
            a.problem = f"operation entry of length {olen} does not fit"
            break
        op: dict[str, int] = {}
        q, qend = pos + 4, pos + olen
        while q + 8 <= qend:
            alen, atype = unpack(buf, q)
            if alen == 8 and (atype & 0x3FFF) in (1, 2):
                op["id" if atype & 0x3FFF == 1 else "flags"] = u32(buf, q + 4)[0]
            q += (alen + 3) & ~3 if alen >= 4 else qend
        ops.append(op)
        pos += (olen + 3) & ~3
    if pos < e and a.problem is None and buf[pos:e].strip(b"\0"):
        a.problem = f"{e - pos} trailing bytes after the operations"
    a.text = f"{len(ops)} operations"
    return a


def decode_ctrl(msg: Message, buf: bytes, start: int, end: int) -> None:
    """Fill ``msg`` with the nlctrl command and attributes (ops and groups nested)."""
    msg.cmd_name = enums.CTRL_CMDS.get(msg.cmd or 0, f"UNKNOWN_{msg.cmd}")
    order = msg.order
    for num, _f, s, e, problem in iter_attrs(buf, start, end, order):
        name = CTRL_ATTRS.get(num, (f"UNKNOWN_{num}", ""))[0]
        if problem:
            msg.attrs.append(Attr(num, name, "binary", bytes(buf[s:e]), problem=problem))
            break
        if name == "OPS":
            msg.attrs.append(_ops(num, buf, s, e, order))
        elif name == "MCAST_GROUPS":
            a = Attr(num, name, "array", bytes(buf[s:e]), children=[])
            for idx, _g, cs, ce, prob in iter_attrs(buf, s, e, order):
                child = Attr(idx, str(idx), "nested", bytes(buf[cs:ce]), problem=prob)
                if prob is None:
                    child.children = flat_attrs(buf, cs, ce, CTRL_MCAST_ATTRS, order)
                a.children.append(child)  # type: ignore[union-attr]
                if prob:
                    break
            msg.attrs.append(a)
        else:
            msg.attrs.append(scalar_attr(num, CTRL_ATTRS, buf, s, e, order))


class FamilyMap:
    """Which generic-netlink id is which family, and how we know.

    ``given`` comes from the user, ``learned`` from NEWFAMILY messages; an id
    in neither can be ``assumed`` nl80211 from evidence (see
    :meth:`evidence`), which the caller decides when to trust.
    """

    def __init__(self, given: dict[str, int] | None = None) -> None:
        self.learned: dict[int, tuple[str, int]] = {GENL_ID_CTRL: ("nlctrl", -1)}
        self.given: dict[int, str] = {v: k for k, v in (given or {}).items()}
        self.assumed: dict[int, str] = {}
        self.conflicts: list[str] = []

    def lookup(self, family_id: int) -> tuple[str | None, str | None]:
        """(family name, source) for an id, or (None, None)."""
        if family_id in self.given:
            return self.given[family_id], "option"
        if family_id in self.learned:
            return self.learned[family_id][0], "nlctrl"
        if family_id in self.assumed:
            return self.assumed[family_id], "assumed"
        return None, None

    def observe(self, msg: Message) -> None:
        """Learn from a CTRL_CMD_NEWFAMILY (reply or event)."""
        if msg.family != "nlctrl" or msg.cmd != 1:
            return
        fid = msg.value("FAMILY_ID")
        name = msg.value("FAMILY_NAME")
        if not isinstance(fid, int) or not isinstance(name, str):
            return
        if fid in self.given and self.given[fid] != name:
            self.conflicts.append(f"--family says {fid:#x} is {self.given[fid]}, "
                                  f"the capture's nlctrl says {name} (message {msg.index})")
        if fid in self.assumed and self.assumed[fid] != name:
            self.conflicts.append(f"{fid:#x} was assumed {self.assumed[fid]}, nlctrl says {name} "
                                  f"(message {msg.index})")
            del self.assumed[fid]
        self.learned[fid] = (name, msg.index)

    def known(self, family_id: int) -> bool:
        return family_id in self.given or family_id in self.learned or family_id in self.assumed

    def family_for_name(self, name: str) -> int | None:
        for fid, n in self.given.items():
            if n == name:
                return fid
        for fid, (n, _idx) in self.learned.items():
            if n == name:
                return fid
        for fid, n in self.assumed.items():
            if n == name:
                return fid
        return None


def parse_family_option(text: str) -> tuple[str, int]:
    """Parse 'nl80211=0x1c' (or '=28') into ('nl80211', 28)."""
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise ValueError(f"expected NAME=ID, e.g. nl80211=0x1c, got {text!r}")
    try:
        fid = int(value, 0)
    except ValueError:
        raise ValueError(f"family id {value!r} is not a number") from None
    if not 0 < fid < 0x10000:
        raise ValueError(f"family id {fid} is out of range")
    return name.strip(), fid


"""rtnetlink: enough to put link and address changes on the Wi-Fi timeline.

Link up/down, carrier and operstate explain many "connected but no IP"
reports, so RTM_*LINK and RTM_*ADDR are decoded; other rtnetlink messages get
their type name and raw attributes.
"""

from __future__ import annotations

import socket
import struct

from . import enums
from .core import iter_attrs
from .message import Attr, Message
from .values import scalar

# pyroute2's attribute type words -> our scalar kinds
_KIND = {"uint8": "u8", "uint16": "u16", "uint32": "u32", "uint64": "u64", "int32": "s32", "asciiz": "string",
         "l2addr": "mac", "be32": "be32", "state": "u8", "ipaddr": "ip"}

_IFINFO = struct.Struct("BxHiII")
_IFADDR = struct.Struct("BBBBI")


def _mask_text(value: int, names: dict[int, str]) -> str:
    return ",".join(n for bit, n in names.items() if value & bit) or "0"


def _attrs(msg: Message, buf: bytes, start: int, end: int, table: dict[int, tuple[str, str]], family: int) -> None:
    for num, _f, s, e, problem in iter_attrs(buf, start, end, msg.order):
        name, ptype = table.get(num, (f"UNKNOWN_{num}", "hex"))
        kind = _KIND.get(ptype, "binary")
        a = Attr(num, name, kind, bytes(buf[s:e]), problem=problem)
        if problem is None:
            if kind == "ip":
                try:
                    a.value = socket.inet_ntop(socket.AF_INET6 if e - s == 16 else socket.AF_INET, buf[s:e])
                except (ValueError, OSError):
                    a.problem = f"address of {e - s} bytes"
            elif kind != "binary":
                a.value, a.problem = scalar(kind, buf, s, e, msg.order)
                if name == "OPERSTATE" and isinstance(a.value, int):
                    a.text = f"{enums.OPERSTATES.get(a.value, '?')} ({a.value})"
        msg.attrs.append(a)
        if problem:
            break


def decode_rtnl(msg: Message, buf: bytes, start: int, end: int) -> None:
    """Fill ``msg`` (an rtnetlink message) from ``buf[start:end]``."""
    t = msg.nl_type
    msg.cmd = t
    msg.cmd_name = enums.RTM_TYPES.get(t, f"RTM_{t}")
    if 16 <= t <= 19:  # NEW/DEL/GET/SETLINK
        if end - start < _IFINFO.size:
            if msg.flags & 1 and end - start >= 1:  # a GETLINK request may carry only the family byte
                return
            msg.problem = f"ifinfomsg needs {_IFINFO.size} bytes, has {end - start}"
            return
        fam, itype, index, flags, change = _IFINFO.unpack_from(buf, start)
        msg.header_extra = {"ifindex": index, "ifi_type": itype, "ifi_flags": flags,
                            "ifi_flags_text": _mask_text(flags, enums.IFF_FLAGS), "change": change}
        _attrs(msg, buf, start + _IFINFO.size, end, enums.IFLA_ATTRS, fam)
    elif 20 <= t <= 22:  # NEW/DEL/GETADDR
        if end - start < _IFADDR.size:
            if msg.flags & 1:
                return
            msg.problem = f"ifaddrmsg needs {_IFADDR.size} bytes, has {end - start}"
            return
        fam, plen, aflags, scope, index = _IFADDR.unpack_from(buf, start)
        msg.header_extra = {"ifindex": index, "family": fam, "prefixlen": plen, "scope": scope}
        _attrs(msg, buf, start + _IFADDR.size, end, enums.IFA_ATTRS, fam)

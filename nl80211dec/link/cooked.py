"""Decode the 16/20-byte cooked header in front of each netlink record.

The header says what follows: ARPHRD_NETLINK (824) with the netlink protocol
(0 route, 16 generic), or ARPHRD_ETHER (1) with ethertype 0x888e for the
EAPoL frames iwmon records from the control port.
"""

from __future__ import annotations

import struct
from functools import lru_cache

from ..errors import DecodeError

LINKTYPE_LINUX_SLL = 113
LINKTYPE_NETLINK = 253
LINKTYPE_LINUX_SLL2 = 276
SUPPORTED_LINKTYPES = {LINKTYPE_LINUX_SLL: "LINUX_SLL", LINKTYPE_NETLINK: "NETLINK", LINKTYPE_LINUX_SLL2: "LINUX_SLL2"}

ARPHRD_ETHER = 1
ARPHRD_NETLINK = 824
ETH_P_PAE = 0x888E

NETLINK_PROTOCOLS = {0: "route", 16: "generic"}

_SLL = struct.Struct(">HHH8sH")
_SLL2 = struct.Struct(">HHIHBB8s")


class LinkFrame:
    """What the cooked header says, and where the payload starts."""

    __slots__ = ("pkttype", "hatype", "protocol", "offset", "kind")

    def __init__(self, pkttype: int, hatype: int, protocol: int, offset: int) -> None:
        self.pkttype = pkttype
        self.hatype = hatype
        self.protocol = protocol
        self.offset = offset
        if hatype == ARPHRD_NETLINK:
            self.kind = NETLINK_PROTOCOLS.get(protocol, f"netlink-{protocol}")
        elif protocol == ETH_P_PAE:
            self.kind = "eapol"
        else:
            self.kind = f"hatype-{hatype}/proto-{protocol:#06x}"


def parse_link(linktype: int, data: bytes) -> LinkFrame:
    """Parse the cooked header of a record of ``linktype`` (frames are shared: read-only)."""
    return _parse_header(linktype, data[:20] if linktype == LINKTYPE_LINUX_SLL2 else data[:16])


@lru_cache(maxsize=1024)  # a capture repeats a handful of headers: parse each once
def _parse_header(linktype: int, data: bytes) -> LinkFrame:
    if linktype in (LINKTYPE_LINUX_SLL, LINKTYPE_NETLINK):
        if len(data) < 16:
            raise DecodeError(f"record of {len(data)} bytes is shorter than the 16-byte cooked header",
                              layer="link", offset=0)
        pkttype, hatype, _alen, _addr, proto = _SLL.unpack_from(data)
        return LinkFrame(pkttype, hatype, proto, 16)
    if linktype == LINKTYPE_LINUX_SLL2:
        if len(data) < 20:
            raise DecodeError(f"record of {len(data)} bytes is shorter than the 20-byte SLL2 header",
                              layer="link", offset=0)
        proto, _res, _ifindex, hatype, pkttype, _alen, _addr = _SLL2.unpack_from(data)
        return LinkFrame(pkttype, hatype, proto, 20)
    raise DecodeError(f"link type {linktype} carries no netlink", layer="link", offset=0)

"""Decode the 16/20-byte cooked header in front of each netlink record.

The header says what follows: ARPHRD_NETLINK (824) with the netlink protocol
(0 route, 16 generic), or ARPHRD_ETHER (1) with ethertype 0x888e for the
EAPoL frames iwmon records from the control port.  The headers are read with
structs derived from the schemas in :mod:`.schemas`, by field name.
"""

from __future__ import annotations

from functools import lru_cache

from ..errors import DecodeError
from ..wire.layout import Layout, fixed_layout
from .schemas import CookedHeader, CookedHeaderV2

LINKTYPE_LINUX_SLL = 113
LINKTYPE_NETLINK = 253
LINKTYPE_LINUX_SLL2 = 276
SUPPORTED_LINKTYPES = {LINKTYPE_LINUX_SLL: "LINUX_SLL", LINKTYPE_NETLINK: "NETLINK", LINKTYPE_LINUX_SLL2: "LINUX_SLL2"}

ARPHRD_ETHER = 1
ARPHRD_NETLINK = 824
ETH_P_PAE = 0x888E

NETLINK_PROTOCOLS = {0: "route", 16: "generic"}

# link type -> the header's layout, and what the header is called in errors
_HEADERS: dict[int, tuple[Layout, str]] = {
    LINKTYPE_LINUX_SLL: (fixed_layout(CookedHeader), "cooked header"),
    LINKTYPE_NETLINK: (fixed_layout(CookedHeader), "cooked header"),
    LINKTYPE_LINUX_SLL2: (fixed_layout(CookedHeaderV2), "SLL2 header"),
}
_SIZES = {linktype: layout.size for linktype, (layout, _) in _HEADERS.items()}
_LONGEST = max(_SIZES.values())


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
    return _parse_header(linktype, data[:_SIZES.get(linktype, _LONGEST)])


@lru_cache(maxsize=1024)  # a capture repeats a handful of headers: parse each once
def _parse_header(linktype: int, data: bytes) -> LinkFrame:
    spec = _HEADERS.get(linktype)
    if spec is None:
        raise DecodeError(f"link type {linktype} carries no netlink", layer="link", offset=0)
    layout, what = spec
    if len(data) < layout.size:
        raise DecodeError(f"record of {len(data)} bytes is shorter than the {layout.size}-byte {what}",
                          layer="link", offset=0)
    h = layout.parse(data)
    return LinkFrame(h["pkttype"], h["hatype"], h["protocol"], layout.size)

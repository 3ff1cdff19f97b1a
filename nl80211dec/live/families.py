"""Generic-netlink family ids, asked of nlctrl at start, so a live capture never has to guess them.

Ids are handed out at boot. A supplicant that started before the capture
resolved nl80211 long ago, so the capture would hold no NEWFAMILY and the
decoder would have to assume the id. Instead the run asks nlctrl
(CTRL_CMD_GETFAMILY, dump) through pyroute2 and puts the answer at the head
of the record stream, and of every file written, as one CTRL_CMD_NEWFAMILY
message per family, the form the kernel's own reply takes. The decoder and
tshark learn the ids from them as from any capture; the pcapng marks them
as written by nl80211dec, not captured (docs/live.md).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..netlink.genl import GENL_ID_CTRL
from .packet import Packet

CTRL_CMD_NEWFAMILY = 1
CTRL_CMD_GETFAMILY = 3
CTRL_VERSION = 2
NETLINK_GENERIC = 16
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
# nlctrl attributes the records carry: (attribute number, struct format of the value)
ATTRS = {"FAMILY_ID": (1, "H"), "FAMILY_NAME": (2, None), "VERSION": (3, "I"), "HDRSIZE": (4, "I"),
         "MAXATTR": (5, "I")}
NOTE = "nl80211dec live: generic-netlink family map asked of nlctrl at start (not captured traffic)"


@dataclass(frozen=True)
class Family:
    name: str
    id: int
    version: int = 1
    hdrsize: int = 0
    maxattr: int = 0


def resolve(genl: Callable[[], Any]) -> list[Family]:
    """Every registered family, by a CTRL_CMD_GETFAMILY dump on a pyroute2 ``GenericNetlinkSocket``."""
    from pyroute2.netlink import ctrlmsg

    sock = genl()
    try:
        sock.bind("nlctrl", ctrlmsg)
        msg = ctrlmsg()
        msg["cmd"], msg["version"] = CTRL_CMD_GETFAMILY, 1
        replies = sock.nlm_request(msg, msg_type=GENL_ID_CTRL, msg_flags=NLM_F_REQUEST | NLM_F_DUMP)
        out = [Family(r.get_attr("CTRL_ATTR_FAMILY_NAME"), r.get_attr("CTRL_ATTR_FAMILY_ID"),
                      r.get_attr("CTRL_ATTR_VERSION") or 0, r.get_attr("CTRL_ATTR_HDRSIZE") or 0,
                      r.get_attr("CTRL_ATTR_MAXATTR") or 0) for r in replies]
    finally:
        sock.close()
    return sorted(out, key=lambda f: f.id)


def as_map(families: list[Family]) -> dict[str, int]:
    return {f.name: f.id for f in families}


def _attr(number: int, value: bytes) -> bytes:
    return struct.pack("=HH", 4 + len(value), number) + value + bytes(-len(value) % 4)


def newfamily_message(family: Family) -> bytes:
    """One CTRL_CMD_NEWFAMILY message (nlmsghdr, genlmsghdr, attributes) in host byte order, as the kernel sends it."""
    numbers = {"FAMILY_ID": family.id, "VERSION": family.version, "HDRSIZE": family.hdrsize,
               "MAXATTR": family.maxattr}
    body = b"".join(_attr(num, family.name.encode() + b"\0" if fmt is None else struct.pack("=" + fmt, numbers[name]))
                    for name, (num, fmt) in ATTRS.items())
    genl = struct.pack("=BBH", CTRL_CMD_NEWFAMILY, CTRL_VERSION, 0)
    return struct.pack("=IHHII", 16 + len(genl) + len(body), GENL_ID_CTRL, 0, 0, 0) + genl + body


def family_packets(families: list[Family], ticks: int, timestamp: float) -> list[Packet]:
    """The family map as packets of the stream: one NEWFAMILY skb per family, all at the same time."""
    out = []
    for fam in families:
        data = newfamily_message(fam)
        out.append(Packet(ticks, timestamp, data, len(data), NETLINK_GENERIC, comment=NOTE))
    return out

"""One netlink skb as the nlmon tap hands it, and the capture record it becomes.

The record is the one ``tcpdump -i nlmon0`` writes: link type 253
(LINKTYPE_NETLINK) with a 16-byte cooked header built from the packet
socket's ``sockaddr_ll`` (packet type, ARPHRD_NETLINK 824, address length
and address, the netlink protocol) in front of the netlink messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..capture.reader import Record
from ..link.cooked import ARPHRD_NETLINK, LINKTYPE_NETLINK
from ..link.schemas import CookedHeader

PACKET_OUTGOING = 4  # what the nlmon tap's packets carry: they are "sent" on the nlmon device


@dataclass(frozen=True, slots=True)
class Packet:
    """What a record source delivers: the skb's bytes, when, and what ``sockaddr_ll`` said.

    ``ticks`` counts units of 10**-resolution s (the source's resolution) and
    is what the capture file stores; ``timestamp`` is the same instant as the
    decoder, and any reader of that file, sees it (see :func:`seconds`).
    """

    ticks: int
    timestamp: float
    data: bytes
    orig_len: int
    protocol: int
    pkttype: int = PACKET_OUTGOING
    hatype: int = ARPHRD_NETLINK
    addr: bytes = b""
    comment: str | None = None  # kept with the record in the file (packets nl80211dec wrote itself say so)


def seconds(ticks: int, resolution: int) -> float:
    """Seconds as the capture reader computes them from a pcapng timestamp of this resolution.

    Same expression, so a file written from the packets reads back to the
    very same floats.
    """
    return ticks * 10.0 ** -resolution


@lru_cache(maxsize=64)  # a handful of (type, hatype, protocol) combinations: build each header once
def cooked_header(pkttype: int, hatype: int, protocol: int, addr: bytes = b"") -> bytes:
    return CookedHeader.build({"pkttype": pkttype, "hatype": hatype, "addr_len": len(addr),
                               "addr": addr[:8].ljust(8, b"\0"), "protocol": protocol})


def netlink_record(number: int, packet: Packet) -> Record:
    """The LINKTYPE_NETLINK record for a packet (``offset`` is unused live: there is no input file)."""
    head = cooked_header(packet.pkttype, packet.hatype, packet.protocol, packet.addr)
    return Record(number, packet.timestamp, LINKTYPE_NETLINK, head + packet.data, len(head) + packet.orig_len, 0)

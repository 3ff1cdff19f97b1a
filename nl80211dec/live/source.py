"""The record source: an AF_PACKET socket bound to the nlmon interface, read through its receive ring.

Each packet is one netlink skb as the tap hands it (the messages of one
send, or one part of a dump) with the ``sockaddr_ll`` the kernel fills in:
packet type, ARPHRD_NETLINK, and the netlink protocol in ``sll_protocol``.
:func:`~.packet.netlink_record` turns it into the record tcpdump would
write. A source has the small interface :class:`Source` describes, which
the replay double (:mod:`.replay`) has too.
"""

from __future__ import annotations

import mmap
import select
import socket
import time
from typing import Protocol

from .errors import unavailable
from .packet import Packet
from .schemas import TPacketStatsV3
from .tpacket import RESOLUTION, TPACKET_V3, Geometry, RingReader

SOL_PACKET = 263
PACKET_RX_RING = 5
PACKET_STATISTICS = 6
PACKET_VERSION = 10
ETH_P_ALL = 0x0003


class Source(Protocol):
    """What the live loop reads: packets as they come, a clock on their time base, the kernel's drops."""

    resolution: int  # packets' ticks are units of 10**-resolution s
    exhausted: bool  # a replay has nothing more (a socket never is)

    def receive(self, timeout: float) -> list[Packet]: ...

    def now(self) -> int: ...  # the current time in ticks, on the packets' clock

    def dropped(self) -> int: ...

    def close(self) -> None: ...


class PacketSocket:
    """``PacketSocket("nlmon0")``: packets of that interface from a TPACKET_V3 ring (see :mod:`.tpacket`)."""

    resolution = RESOLUTION
    exhausted = False

    def __init__(self, ifname: str, geometry: Geometry | None = None) -> None:
        self.geometry = geometry or Geometry()
        self.drops = 0
        try:
            # protocol 0: nothing is queued before the ring exists; bind() names the real one
            self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
        except OSError as e:
            raise unavailable("socket", e) from None
        try:
            self.sock.setsockopt(SOL_PACKET, PACKET_VERSION, TPACKET_V3)
            self.sock.setsockopt(SOL_PACKET, PACKET_RX_RING, self.geometry.request())
            self.map = mmap.mmap(self.sock.fileno(), self.geometry.size, mmap.MAP_SHARED,
                                 mmap.PROT_READ | mmap.PROT_WRITE)
        except OSError as e:
            self.sock.close()
            raise unavailable("ring", e) from None
        try:
            self.sock.bind((ifname, ETH_P_ALL))
        except OSError as e:
            self.close()
            raise unavailable("socket", e) from None
        self.ring = RingReader(self.map, self.geometry)
        self.poller = select.poll()
        self.poller.register(self.sock.fileno(), select.POLLIN | select.POLLERR)

    def receive(self, timeout: float) -> list[Packet]:
        """The packets ready now, or those that arrive within ``timeout`` seconds (maybe none)."""
        if not self.ring.ready():
            self.poller.poll(max(0, int(timeout * 1000)))
        return self.ring.take()

    def now(self) -> int:
        return time.time_ns()  # skb timestamps are CLOCK_REALTIME nanoseconds

    def dropped(self) -> int:
        """Packets the kernel could not put in the ring so far (the ring was full)."""
        raw = self.sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, TPacketStatsV3.sizeof())
        self.drops += TPacketStatsV3.parse(raw).drops  # the kernel resets its counters on every read
        return self.drops

    def close(self) -> None:
        if getattr(self, "ring", None) is not None:
            self.ring.ring.release()
        if getattr(self, "map", None) is not None:
            self.map.close()
        self.sock.close()

    def __enter__(self) -> PacketSocket:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

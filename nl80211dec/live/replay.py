"""A capture file played back as a live source, at its recorded pace: the packet socket's double.

It hands out the packets a packet socket on nlmon would have: each record's
netlink bytes without the cooked header, with the header's packet type,
hardware type and protocol. ``speed`` scales the pace (10 = ten times
faster). ``clock`` says how times come out: ``"kernel"`` as the socket
gives them (nanosecond ticks, the floats a reader of the written pcapng
computes), ``"file"`` as the file's own reader gives them (the same floats
as decoding the file, for comparing the two paths exactly).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..capture.reader import CaptureReader
from ..link import parse_link
from ..link.cooked import ARPHRD_NETLINK, LINKTYPE_LINUX_SLL, LINKTYPE_NETLINK
from .packet import Packet, seconds

CLOCKS = {"kernel": 9, "file": 6}  # the resolution of the ticks each clock gives


def packets_of(source: Any, clock: str = "kernel") -> list[Packet]:
    """The netlink packets of a capture (path, bytes or file object), as a socket on nlmon delivers them."""
    resolution = CLOCKS[clock]
    out = []
    for rec in CaptureReader(source):
        if rec.linktype not in (LINKTYPE_NETLINK, LINKTYPE_LINUX_SLL):
            continue
        link = parse_link(rec.linktype, rec.data)
        if link.hatype != ARPHRD_NETLINK:
            continue
        micro = round(rec.timestamp * 1e6)  # the shipped captures are microsecond pcaps: exact
        ticks = micro * 1000 if clock == "kernel" else micro
        when = seconds(ticks, resolution) if clock == "kernel" else rec.timestamp
        data = bytes(rec.data[link.offset:])
        out.append(Packet(ticks, when, data, rec.orig_len - link.offset, link.protocol, link.pkttype, link.hatype))
    return out


class Replay:
    """``Replay(path, speed=20)``: a :class:`~.source.Source` that plays a capture back."""

    def __init__(self, source: Any, *, speed: float = 1.0, clock: str = "kernel",
                 sleep: Callable[[float], None] = time.sleep, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.packets = packets_of(source, clock)
        self.resolution = CLOCKS[clock]
        self.speed = speed
        self.sleep, self.monotonic = sleep, monotonic
        self.position = 0
        self.started: float | None = None
        self.first = self.packets[0].timestamp if self.packets else 0.0  # schedule: seconds after this one
        self.closed = False

    @property
    def exhausted(self) -> bool:
        return self.left == 0

    @property
    def left(self) -> int:
        return len(self.packets) - self.position

    def _due(self, packet: Packet) -> float:
        assert self.started is not None
        return self.started + (packet.timestamp - self.first) / self.speed

    def receive(self, timeout: float) -> list[Packet]:
        if self.started is None:
            self.started = self.monotonic()
        if not self.left:
            return []
        wait = self._due(self.packets[self.position]) - self.monotonic()
        if wait > 0:
            self.sleep(min(wait, timeout))
        now = self.monotonic()
        out = []
        while self.left and self._due(self.packets[self.position]) <= now:
            out.append(self.packets[self.position])
            self.position += 1
        return out

    def now(self) -> int:
        """Ticks on the capture's clock: the first packet's until the replay starts, then moving at ``speed``."""
        if not self.packets:
            return 0
        first = self.packets[0].ticks
        if self.started is None:
            return first
        return first + int((self.monotonic() - self.started) * self.speed * 10**self.resolution)

    def dropped(self) -> int:
        return 0

    def close(self) -> None:
        self.closed = True

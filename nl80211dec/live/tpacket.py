"""Read a TPACKET_V3 receive ring: the blocks the kernel filled, in order, each given back once read.

Why a ring and not ``recvmsg``: nl80211 wipes key-carrying requests
(``NL80211_FLAG_CLEAR_SKB``: CONNECT, NEW_KEY, SET_PMK...) right after
handling them, and the skb the tap queues to a plain packet socket shares
that memory, so a socket read later copies zeros (what iwmon records). The
ring is filled when the tap runs, before the wipe, as tcpdump's is.

Layouts are :mod:`.schemas`; the structs here are their fast forms.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from dataclasses import dataclass

from .packet import Packet, seconds
from .schemas import TPacketReq3

TPACKET_V3 = 2
TP_STATUS_KERNEL = 0
TP_STATUS_USER = 1
RESOLUTION = 9  # the ring's timestamps are nanoseconds

# the schemas' fast forms, field by field in their order (tests/test_live_wire.py holds them equal)
BLOCK = struct.Struct("=6IQ4I")  # BlockDesc
HEADER = struct.Struct("=6I2H2IH10x")  # TPacket3Hdr
ADDRESS = struct.Struct("=H2siHBB8s")  # SockaddrLL
STATUS = struct.Struct("=I")
STATUS_OFFSET = 8  # BlockDesc.block_status


@dataclass(frozen=True)
class Geometry:
    """``block_nr`` blocks of ``block_size`` bytes; a block is handed over when full or after ``retire_ms``."""

    # 8 MB as 64 blocks: a block is handed over when full or retire_ms after its first packet, so a trickle
    # of small packets uses one block per retire_ms; 64 of them hold 6.4 s of that, 128 KB any one skb
    block_size: int = 1 << 17
    block_nr: int = 64
    frame_size: int = 1 << 16  # V3 packs packets of any size into blocks; the kernel still checks this
    retire_ms: int = 100  # also how late a quiet moment's packets are shown

    @property
    def size(self) -> int:
        return self.block_size * self.block_nr

    def request(self) -> bytes:
        """The ``tpacket_req3`` for ``setsockopt(SOL_PACKET, PACKET_RX_RING, ...)``."""
        return TPacketReq3.build({"block_size": self.block_size, "block_nr": self.block_nr,
                                  "frame_size": self.frame_size,
                                  "frame_nr": self.block_size // self.frame_size * self.block_nr,
                                  "retire_blk_tov": self.retire_ms, "sizeof_priv": 0, "feature_req_word": 0})


class RingReader:
    """Walk a mapped ring (any writable buffer): :meth:`ready`, then :meth:`take` empties what is ready."""

    def __init__(self, ring: mmap.mmap | memoryview | bytearray, geometry: Geometry) -> None:
        self.ring = memoryview(ring)
        self.geometry = geometry
        self.block = 0  # the next block to read

    def _status(self, block: int) -> int:
        return STATUS.unpack_from(self.ring, block * self.geometry.block_size + STATUS_OFFSET)[0]

    def ready(self) -> bool:
        return bool(self._status(self.block) & TP_STATUS_USER)

    def take(self) -> list[Packet]:
        """Every packet of every block that is ready, oldest first; the blocks go back to the kernel."""
        out: list[Packet] = []
        while self.ready():
            start = self.block * self.geometry.block_size
            out.extend(_packets(self.ring, start))
            STATUS.pack_into(self.ring, start + STATUS_OFFSET, TP_STATUS_KERNEL)
            self.block = (self.block + 1) % self.geometry.block_nr
        return out


def _packets(ring: memoryview, start: int) -> Iterator[Packet]:
    _ver, _priv, _status, count, first, _len, _seq, *_ts = BLOCK.unpack_from(ring, start)
    pos = start + first
    for _ in range(count):
        nxt, sec, nsec, snaplen, length, _st, mac, _net, _hash, _tci, _tpid = HEADER.unpack_from(ring, pos)
        _fam, proto, _ifindex, hatype, pkttype, halen, addr = ADDRESS.unpack_from(ring, pos + HEADER.size)
        ticks = sec * 10**9 + nsec
        yield Packet(ticks, seconds(ticks, RESOLUTION), bytes(ring[pos + mac:pos + mac + snaplen]), length,
                     int.from_bytes(proto, "big"), pkttype, hatype, addr[:halen])
        pos += nxt

"""Streaming pcapng: one section, one LINKTYPE_NETLINK interface, one block per record, each written at once.

Every block goes to the file in a single unbuffered write, so whatever
happens to the process (a crash, SIGKILL, the power kept on) the file holds
every record before the last one and the reader decodes them; at worst it
reports the last block as cut short. Little-endian whatever the host: the
netlink bytes inside stay in the host's order, as captured.

Blocks and options are the Construct schemas of :mod:`nl80211dec.capture.schemas`;
the per-record Enhanced Packet Block is packed with structs of their fixed fields.
"""

from __future__ import annotations

import os
import platform
import struct

from .. import __version__
from ..capture import schemas as CS
from ..link.cooked import LINKTYPE_NETLINK

OPT_END, OPT_COMMENT = 0, 1
SHB_OS, SHB_USERAPPL = 3, 4
IF_NAME, IF_TSRESOL = 2, 9
SNAPLEN = 262144

# the fixed fields of PcapngBlock and PcapngEPBBody (tests/test_live_wire.py builds both ways and compares)
_BLOCK_HEAD = struct.Struct("<II")  # block_type, block_len
_EPB_HEAD = struct.Struct("<5I")  # interface_id, ts_high, ts_low, cap_len, orig_len
_LEN = struct.Struct("<I")  # block_len2


def option(code: int, value: bytes) -> bytes:
    return CS.PcapngOption.build({"code": code, "length": len(value), "value": value,
                                  "pad": bytes(-len(value) % 4)})


def options(*pairs: tuple[int, bytes]) -> bytes:
    """Options in order, then opt_endofopt (nothing at all when there are none)."""
    if not pairs:
        return b""
    return b"".join(option(c, v) for c, v in pairs) + option(OPT_END, b"")


def block(block_type: int, body: bytes) -> bytes:
    body += bytes(-len(body) % 4)
    return CS.PcapngBlock.build({"block_type": block_type, "block_len": 12 + len(body), "body": body,
                                 "block_len2": 12 + len(body)})


def section_header(comments: list[str]) -> bytes:
    opts = [(OPT_COMMENT, c.encode()) for c in comments]
    opts += [(SHB_OS, f"{platform.system()} {platform.release()} {platform.machine()}".encode()),
             (SHB_USERAPPL, f"nl80211dec {__version__} (nl80211dec live)".encode())]
    return block(CS.PCAPNG_SHB, CS.PcapngSHBBody.build({"major": 1, "minor": 0, "section_len": 2**64 - 1})
                 + options(*opts))


def interface(ifname: str, resolution: int) -> bytes:
    return block(CS.PCAPNG_IDB, CS.PcapngIDBBody.build({"linktype": LINKTYPE_NETLINK, "reserved": 0,
                                                        "snaplen": SNAPLEN})
                 + options((IF_NAME, ifname.encode()), (IF_TSRESOL, bytes([resolution]))))


def packet_block(ticks: int, data: bytes, orig_len: int, comment: str | None = None) -> bytes:
    """An Enhanced Packet Block for interface 0 (``ticks`` in the interface's resolution)."""
    opts = options((OPT_COMMENT, comment.encode())) if comment else b""
    body_len = _EPB_HEAD.size + len(data) + (-len(data) % 4) + len(opts)
    total = _BLOCK_HEAD.size + body_len + _LEN.size
    return b"".join((_BLOCK_HEAD.pack(CS.PCAPNG_EPB, total),
                     _EPB_HEAD.pack(0, ticks >> 32, ticks & 0xFFFFFFFF, len(data), orig_len),
                     data, bytes(-len(data) % 4), opts, _LEN.pack(total)))


class PcapngWriter:
    """``PcapngWriter(path, ifname=..., resolution=9, comments=[...])``, then :meth:`write` per record."""

    def __init__(self, path: str | os.PathLike[str], *, ifname: str, resolution: int,
                 comments: list[str] | None = None) -> None:
        self.path = os.fspath(path)
        self.file = open(self.path, "wb", buffering=0)  # noqa: SIM115 - closed by close(); unbuffered on purpose
        self.size = 0
        self.records = 0
        self.first_time: float | None = None
        self.last_time: float | None = None
        self._put(section_header(comments or []) + interface(ifname, resolution))

    def _put(self, data: bytes) -> None:
        view = memoryview(data)
        while view:  # a raw write may be partial
            n = self.file.write(view)
            view = view[n or 0:]
        self.size += len(data)

    def write(self, ticks: int, data: bytes, orig_len: int, timestamp: float, comment: str | None = None) -> None:
        self.write_block(packet_block(ticks, data, orig_len, comment), timestamp)

    def write_block(self, epb: bytes, timestamp: float) -> None:
        """A packet block built by :func:`packet_block` (the ring sizes it before choosing the file)."""
        self._put(epb)
        self.records += 1
        if self.first_time is None:
            self.first_time = timestamp
        self.last_time = timestamp

    def close(self) -> None:
        if not self.file.closed:
            os.fsync(self.file.fileno())
            self.file.close()

"""Write chosen records to a new pcap or pcapng file, as they were (``-w``).

Each record keeps its bytes, original length and link type; timestamps are
kept to the microsecond.  A pcap file holds one link type, so records of a
second one need ``.pcapng`` (one interface per link type).  Built through the
Construct schemas, like every file this project writes.
"""

from __future__ import annotations

from typing import BinaryIO

from . import schemas as CS
from .reader import Record

SNAPLEN = 262144
_US = 1_000_000


def format_for(path: str) -> str:
    """'pcapng' for a .pcapng (or .pcapng.gz) name, else 'pcap'."""
    return "pcapng" if path.lower().removesuffix(".gz").endswith(".pcapng") else "pcap"


def _micro(ts: float) -> tuple[int, int]:
    units = round(ts * _US)
    return units // _US, units % _US


class RecordWriter:
    """``write(record)`` appends one record; the file header is written with the first."""

    def __init__(self, out: BinaryIO, fmt: str = "pcap") -> None:
        if fmt not in ("pcap", "pcapng"):
            raise ValueError(f"unknown capture format {fmt!r}")
        self.out, self.fmt = out, fmt
        self.count = 0
        self._interfaces: dict[int, int] = {}  # link type -> pcapng interface id (pcap: the one link type)

    def write(self, rec: Record) -> None:
        if self.fmt == "pcap":
            self._pcap(rec)
        else:
            self._pcapng(rec)
        self.count += 1

    def _pcap(self, rec: Record) -> None:
        if not self._interfaces:
            self._interfaces[rec.linktype] = 0
            self.out.write(CS.PcapHeaderLE.build({"magic": CS.PCAP_MAGIC_US, "version_major": 2, "version_minor": 4,
                                                  "thiszone": 0, "sigfigs": 0, "snaplen": SNAPLEN,
                                                  "linktype": rec.linktype}))
        elif rec.linktype not in self._interfaces:
            first = next(iter(self._interfaces))
            raise ValueError(f"record {rec.number} has link type {rec.linktype}, the file {first}: a pcap file "
                             "holds one link type (write .pcapng)")
        sec, usec = _micro(rec.timestamp)
        self.out.write(CS.PcapRecordLE.build({"ts_sec": sec, "ts_frac": usec, "incl_len": len(rec.data),
                                              "orig_len": max(rec.orig_len, len(rec.data)), "data": rec.data}))

    def _block(self, btype: int, body: bytes) -> None:
        body += bytes(-len(body) % 4)
        self.out.write(CS.PcapngBlock.build({"block_type": btype, "block_len": 12 + len(body), "body": body,
                                             "block_len2": 12 + len(body)}))

    def _pcapng(self, rec: Record) -> None:
        if not self.count and not self._interfaces:
            self._block(CS.PCAPNG_SHB, CS.PcapngSHBBody.build({"major": 1, "minor": 0, "section_len": 2**64 - 1}))
        iface = self._interfaces.get(rec.linktype)
        if iface is None:  # an interface block may come anywhere before the first packet that uses it
            iface = self._interfaces[rec.linktype] = len(self._interfaces)
            self._block(CS.PCAPNG_IDB, CS.PcapngIDBBody.build({"linktype": rec.linktype, "reserved": 0,
                                                               "snaplen": SNAPLEN}))
        sec, usec = _micro(rec.timestamp)
        units = sec * _US + usec
        self._block(CS.PCAPNG_EPB, CS.PcapngEPBBody.build({
            "interface_id": iface, "ts_high": units >> 32, "ts_low": units & 0xFFFFFFFF, "cap_len": len(rec.data),
            "orig_len": max(rec.orig_len, len(rec.data)), "data": rec.data, "pad": bytes(-len(rec.data) % 4)}))

    def finish(self) -> None:
        """Write the file header even when no record was chosen, so the file is a valid, empty capture."""
        if self.count == 0:
            if self.fmt == "pcap" and not self._interfaces:
                self.out.write(CS.PcapHeaderLE.build({"magic": CS.PCAP_MAGIC_US, "version_major": 2,
                                                      "version_minor": 4, "thiszone": 0, "sigfigs": 0,
                                                      "snaplen": SNAPLEN, "linktype": 113}))
            elif self.fmt == "pcapng" and not self._interfaces:
                self._block(CS.PCAPNG_SHB, CS.PcapngSHBBody.build({"major": 1, "minor": 0,
                                                                   "section_len": 2**64 - 1}))

"""Construct schemas of the capture file formats: the declarative truth.

The fast reader in :mod:`nl80211dec.capture.reader` unpacks with structs
derived from these (the pcapng forms re-based to each section's byte order);
the tests and the scenario builder use them to write files.
"""

from __future__ import annotations

from construct import Bytes, Const, GreedyBytes, Int16ub, Int16ul, Int32ub, Int32ul, Int64ul, Struct, this

PCAPNG_SHB = 0x0A0D0D0A  # block types
PCAPNG_IDB = 0x00000001
PCAPNG_OPB = 0x00000002
PCAPNG_SPB = 0x00000003
PCAPNG_EPB = 0x00000006
PCAPNG_BOM = 0x1A2B3C4D  # byte-order magic of a section header

PCAP_MAGIC_US = 0xA1B2C3D4
PCAP_MAGIC_NS = 0xA1B23C4D

# Classic pcap: the magic decides byte order; both forms are described.
PcapHeaderLE = Struct(
    "magic" / Int32ul,
    "version_major" / Int16ul,
    "version_minor" / Int16ul,
    "thiszone" / Int32ul,
    "sigfigs" / Int32ul,
    "snaplen" / Int32ul,
    "linktype" / Int32ul,
)
PcapHeaderBE = Struct(
    "magic" / Int32ub,
    "version_major" / Int16ub,
    "version_minor" / Int16ub,
    "thiszone" / Int32ub,
    "sigfigs" / Int32ub,
    "snaplen" / Int32ub,
    "linktype" / Int32ub,
)
PcapRecordLE = Struct(
    "ts_sec" / Int32ul,
    "ts_frac" / Int32ul,
    "incl_len" / Int32ul,
    "orig_len" / Int32ul,
    "data" / Bytes(this.incl_len),
)
PcapRecordBE = Struct(
    "ts_sec" / Int32ub,
    "ts_frac" / Int32ub,
    "incl_len" / Int32ub,
    "orig_len" / Int32ub,
    "data" / Bytes(this.incl_len),
)

# pcapng (little-endian forms; the reader accepts both byte orders).


def _padded(n: int) -> int:
    return (n + 3) & ~3


PcapngBlock = Struct(
    "block_type" / Int32ul,
    "block_len" / Int32ul,
    "body" / Bytes(this.block_len - 12),
    "block_len2" / Int32ul,
)

PcapngSHBBody = Struct(
    "bom" / Const(PCAPNG_BOM, Int32ul),
    "major" / Int16ul,
    "minor" / Int16ul,
    "section_len" / Int64ul,
)
PcapngIDBBody = Struct("linktype" / Int16ul, "reserved" / Int16ul, "snaplen" / Int32ul)
PcapngEPBBody = Struct(
    "interface_id" / Int32ul,
    "ts_high" / Int32ul,
    "ts_low" / Int32ul,
    "cap_len" / Int32ul,
    "orig_len" / Int32ul,
    "data" / Bytes(this.cap_len),
    "pad" / Bytes(lambda ctx: _padded(ctx.cap_len) - ctx.cap_len),
)
# Obsolete Packet Block (type 2): interface id and drops count are 16-bit.
PcapngOPBBody = Struct(
    "interface_id" / Int16ul,
    "drops_count" / Int16ul,
    "ts_high" / Int32ul,
    "ts_low" / Int32ul,
    "cap_len" / Int32ul,
    "orig_len" / Int32ul,
    "data" / Bytes(this.cap_len),
    "pad" / Bytes(lambda ctx: _padded(ctx.cap_len) - ctx.cap_len),
)
# Simple Packet Block (type 3): interface 0, no timestamp; the data (padded) fills the block.
PcapngSPBBody = Struct("orig_len" / Int32ul, "data" / GreedyBytes)
PcapngOption = Struct("code" / Int16ul, "length" / Int16ul, "value" / Bytes(this.length),
                      "pad" / Bytes(lambda ctx: _padded(ctx.length) - ctx.length))

"""Write pcap and pcapng files through the Construct schemas (test data, scapy import, scenarios)."""

from __future__ import annotations

from collections.abc import Sequence

from . import schemas as CS


def pcap_bytes(records: Sequence[tuple[float, bytes]], *, linktype: int = 113, big_endian: bool = False,
               nanoseconds: bool = False, snaplen: int = 262144) -> bytes:
    """A classic pcap file holding ``(timestamp, data)`` records."""
    hdr_s = CS.PcapHeaderBE if big_endian else CS.PcapHeaderLE
    rec_s = CS.PcapRecordBE if big_endian else CS.PcapRecordLE
    magic = CS.PCAP_MAGIC_NS if nanoseconds else CS.PCAP_MAGIC_US
    scale = 1_000_000_000 if nanoseconds else 1_000_000
    out = [hdr_s.build({"magic": magic, "version_major": 2, "version_minor": 4, "thiszone": 0, "sigfigs": 0,
                        "snaplen": snaplen, "linktype": linktype})]
    for ts, data in records:
        sec = int(ts)
        frac = round((ts - sec) * scale)
        if frac >= scale:
            sec, frac = sec + 1, frac - scale
        out.append(rec_s.build({"ts_sec": sec, "ts_frac": frac, "incl_len": len(data), "orig_len": len(data),
                                "data": data}))
    return b"".join(out)


def _block(btype: int, body: bytes) -> bytes:
    body = body + bytes(-len(body) % 4)
    return CS.PcapngBlock.build({"block_type": btype, "block_len": 12 + len(body), "body": body,
                                 "block_len2": 12 + len(body)})


def pcapng_bytes(records: Sequence[tuple[float, bytes] | tuple[float, bytes, int]], *,
                 linktypes: Sequence[int] = (113,), tsresol: int = 6, extra_blocks: bool = False) -> bytes:
    """A pcapng file: one SHB, one IDB per link type, an EPB per record.

    A record may name its interface as a third item. ``tsresol`` is the
    power-of-ten resolution (6 = microseconds, 9 = nanoseconds).
    ``extra_blocks`` adds a name-resolution and a custom block, which readers
    must skip and count.
    """
    out = [_block(CS.PCAPNG_SHB, CS.PcapngSHBBody.build({"major": 1, "minor": 0, "section_len": 2**64 - 1}))]
    for lt in linktypes:
        opts = b""
        if tsresol != 6:
            opts = CS.PcapngOption.build({"code": 9, "length": 1, "value": bytes([tsresol]), "pad": b"\0\0\0"})
            opts += CS.PcapngOption.build({"code": 0, "length": 0, "value": b"", "pad": b""})
        out.append(_block(CS.PCAPNG_IDB, CS.PcapngIDBBody.build({"linktype": lt, "reserved": 0,
                                                                 "snaplen": 262144}) + opts))
    if extra_blocks:
        out.append(_block(0x00000004, b"\0\0\0\0"))  # name resolution block
        out.append(_block(0x00000BAD, b"custom!!"))
    scale = 10 ** tsresol
    for rec in records:
        ts, data = rec[0], rec[1]
        iface = rec[2] if len(rec) > 2 else 0
        units = round(ts * scale)
        out.append(_block(CS.PCAPNG_EPB, CS.PcapngEPBBody.build({
            "interface_id": iface, "ts_high": units >> 32, "ts_low": units & 0xFFFFFFFF, "cap_len": len(data),
            "orig_len": len(data), "data": data, "pad": bytes(-len(data) % 4)})))
    return b"".join(out)



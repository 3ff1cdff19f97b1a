"""Write pcap/pcapng files and netlink messages with the Construct schemas.

Everything here goes through the declarative schemas (never hand-packed
bytes), so a test that builds with these and parses with the fast path checks
the two against each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..capture import schemas as CS
from ..link.schemas import CookedHeader
from ..netlink.schemas import GenlMsgHdr, NlAttr, NlMsgHdr


def nlattr(num: int, value: bytes, *, nested: bool = False) -> bytes:
    """One attribute, padded to 4 bytes (NLA_F_NESTED set when ``nested``)."""
    return NlAttr.build({"length": 4 + len(value), "type": num | (0x8000 if nested else 0), "value": value})


def nlattrs(items: Iterable[tuple[int, bytes]]) -> bytes:
    return b"".join(nlattr(n, v) for n, v in items)


def genl_message(family_id: int, cmd: int, attrs: bytes = b"", *, flags: int = 0, seq: int = 0, pid: int = 0,
                 version: int = 1) -> bytes:
    body = GenlMsgHdr.build({"cmd": cmd, "version": version, "reserved": 0}) + attrs
    hdr = NlMsgHdr.build({"length": 16 + len(body), "type": family_id, "flags": flags, "seq": seq, "pid": pid})
    return hdr + body


def nl_message(msg_type: int, body: bytes, *, flags: int = 0, seq: int = 0, pid: int = 0) -> bytes:
    return NlMsgHdr.build({"length": 16 + len(body), "type": msg_type, "flags": flags, "seq": seq,
                           "pid": pid}) + body


def sll_record(payload: bytes, *, protocol: int = 16, hatype: int = 824, pkttype: int = 4) -> bytes:
    """A record as iwmon/nlmon write it: cooked header + payload."""
    return CookedHeader.build({"pkttype": pkttype, "hatype": hatype, "addr_len": 0, "addr": bytes(8),
                               "protocol": protocol}) + payload


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
        iface = rec[2] if len(rec) > 2 else 0  # type: ignore[misc]
        units = round(ts * scale)
        out.append(_block(CS.PCAPNG_EPB, CS.PcapngEPBBody.build({
            "interface_id": iface, "ts_high": units >> 32, "ts_low": units & 0xFFFFFFFF, "cap_len": len(data),
            "orig_len": len(data), "data": data, "pad": bytes(-len(data) % 4)})))
    return b"".join(out)


def pcap_to_pcapng(pcap: bytes, *, tsresol: int = 6) -> bytes:
    """Convert a classic pcap (as produced by iwmon/tcpdump) to pcapng."""
    from ..capture.reader import CaptureReader

    reader = CaptureReader(pcap)
    records = [(r.timestamp, r.data) for r in reader]
    return pcapng_bytes(records, linktypes=reader.linktypes, tsresol=tsresol)



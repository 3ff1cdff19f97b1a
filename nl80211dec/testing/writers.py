"""Write pcap/pcapng files and netlink messages with the Construct schemas.

Everything here goes through the declarative schemas (never hand-packed
bytes), so a test that builds with these and parses with the fast path checks
the two against each other.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..capture.writer import _block, pcap_bytes, pcapng_bytes  # noqa: F401 - re-exported for tests
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


def pcap_to_pcapng(pcap: bytes, *, tsresol: int = 6) -> bytes:
    """Convert a classic pcap (as produced by iwmon/tcpdump) to pcapng."""
    from ..capture.reader import CaptureReader

    reader = CaptureReader(pcap)
    records = [(r.timestamp, r.data) for r in reader]
    return pcapng_bytes(records, linktypes=reader.linktypes, tsresol=tsresol)



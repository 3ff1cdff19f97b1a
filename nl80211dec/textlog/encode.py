"""Values as iwmon prints them, back to the bytes they came from.

Every builder goes through a Construct schema (netlink, cooked header) or a
Construct integer, so a rebuilt message is laid out by the same declarations
the decoder is tested against.  A text that does not parse gives None: the
caller leaves the value out and counts it, it never guesses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from construct import Int8sl, Int8ul, Int16sl, Int16ul, Int32sl, Int32ul, Int64sl, Int64ul

from ..link.schemas import CookedHeader
from ..netlink.core import NLA_F_NESTED
from ..netlink.schemas import GenlMsgHdr, NlAttr, NlMsgErr, NlMsgHdr
from .iwmon_lines import hex_bytes

UNSIGNED = {1: Int8ul, 2: Int16ul, 4: Int32ul, 8: Int64ul}
SIGNED = {"s8": Int8sl, "s16": Int16sl, "s32": Int32sl, "s64": Int64sl}
SUITE = re.compile(r"\(([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2})\) suite +([0-9a-f]{2})")
MAC = re.compile(r"^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}$")
HEX_VALUE = re.compile(r"^(?:.*?: )?0x([0-9a-f]+)\b")


def uint(value: int, size: int) -> bytes | None:
    """``value`` as a little-endian unsigned of ``size`` bytes (nl80211 is host order; iwmon hosts are LE)."""
    if size not in UNSIGNED or not 0 <= value < 1 << (8 * size):
        return None
    return UNSIGNED[size].build(value)


def sint(value: int, kind: str) -> bytes | None:
    """``value`` as a little-endian signed integer of ``kind`` (s8/s16/s32/s64)."""
    schema = SIGNED.get(kind)
    if schema is None:
        return None
    bits = 8 * schema.sizeof()
    if not -(1 << (bits - 1)) <= value < 1 << (bits - 1):
        return None
    return schema.build(value)


def printed_uint(decimal: str, hexdigits: str) -> bytes | None:
    """'3 (0x00000003)': the hex width is the size; the two spellings must agree."""
    value = int(decimal)
    if int(hexdigits, 16) != value or len(hexdigits) % 2:
        return None
    return uint(value, len(hexdigits) // 2)


def mac(text: str) -> bytes | None:
    return bytes.fromhex(text.replace(":", "")) if MAC.match(text) else None


def suite(text: str) -> bytes | None:
    """'CCMP (00:0f:ac) suite  04' or 'unknown (08:ac:0f) suite 00': the selector as nl80211 carries it.

    iwmon prints the u32 as its three high bytes and its low byte, so the
    value is rebuilt exactly even when the bytes are in an odd order.
    """
    m = SUITE.search(text)
    if m is None:
        return None
    a, b, c, t = (int(x, 16) for x in m.groups())
    return uint(a << 24 | b << 16 | c << 8 | t, 4)


def hexdump(texts: Iterable[str]) -> bytes | None:
    """The bytes of consecutive hexdump lines; None when one of them is not a hexdump line."""
    out = bytearray()
    for text in texts:
        chunk = hex_bytes(text)
        if chunk is None:
            return None
        out += chunk
    return bytes(out)


def hex_value(text: str) -> int | None:
    """The first '0x...' number of a line such as 'Mask: 0x000000ea' or 'Frame Type: 0x00b0'."""
    m = HEX_VALUE.match(text)
    return int(m.group(1), 16) if m else None


def nlattr(num: int, payload: bytes, *, nested: bool = False) -> bytes:
    """One attribute, padded to 4 bytes."""
    return NlAttr.build({"length": 4 + len(payload), "type": num | (NLA_F_NESTED if nested else 0),
                         "value": payload})


def nlmsg(msg_type: int, flags: int, seq: int, pid: int, body: bytes) -> bytes:
    return NlMsgHdr.build({"length": 16 + len(body), "type": msg_type, "flags": flags, "seq": seq,
                           "pid": pid}) + body


def genl(family: int, cmd: int, flags: int, seq: int, pid: int, attrs: bytes, version: int = 1) -> bytes:
    return nlmsg(family, flags, seq, pid, GenlMsgHdr.build({"cmd": cmd, "version": version, "reserved": 0}) + attrs)


def nlerror(errno: int, echo: bytes, flags: int, seq: int, pid: int) -> bytes:
    """NLMSG_ERROR: errno (negative, 0 for an ACK) and the echoed request (its header at least)."""
    head = NlMsgHdr.parse(echo[:16])
    body = NlMsgErr.build({"error": errno, "echo": head}) + echo[16:]
    return nlmsg(2, flags, seq, pid, body)


def cooked(payload: bytes, *, hatype: int, protocol: int, pkttype: int = 0) -> bytes:
    """The 16-byte cooked header iwmon and nlmon put in front of each record."""
    return CookedHeader.build({"pkttype": pkttype, "hatype": hatype, "addr_len": 0, "addr": bytes(8),
                               "protocol": protocol}) + payload

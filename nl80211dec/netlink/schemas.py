"""Construct schemas of netlink layouts (host byte order; little-endian forms).

These are the declarative truth for nlmsghdr, genlmsghdr, nlattr and
nlmsgerr: :mod:`nl80211dec.netlink.core` and :mod:`.ack` unpack with structs
derived from them (:mod:`nl80211dec.wire.layout`, re-based to the capture's
byte order), and the tests walk the same bytes with both.
"""

from __future__ import annotations

from construct import (
    Aligned,
    BitsInteger,
    BitStruct,
    Bytes,
    Flag,
    GreedyRange,
    Int8ul,
    Int16ul,
    Int32sl,
    Int32ul,
    Struct,
    this,
)

NlMsgHdr = Struct(
    "length" / Int32ul,
    "type" / Int16ul,
    "flags" / Int16ul,
    "seq" / Int32ul,
    "pid" / Int32ul,
)

NlMsg = Struct(
    "header" / NlMsgHdr,
    "payload" / Bytes(this.header.length - 16),
)

GenlMsgHdr = Struct("cmd" / Int8ul, "version" / Int8ul, "reserved" / Int16ul)

# nla_type's top bits: NLA_F_NESTED (0x8000) and NLA_F_NET_BYTEORDER (0x4000).
NlAttrType = BitStruct("nested" / Flag, "net_byteorder" / Flag, "type" / BitsInteger(14, swapped=True))

NlAttrHdr = Struct("length" / Int16ul, "type" / Int16ul)

NlAttr = Aligned(4, Struct(
    *NlAttrHdr.subcons,
    "value" / Bytes(this.length - 4),
))

NlAttrs = GreedyRange(NlAttr)

NlMsgErr = Struct(
    "error" / Int32sl,
    "echo" / NlMsgHdr,
)

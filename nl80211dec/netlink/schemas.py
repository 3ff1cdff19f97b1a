"""Construct schemas of netlink layouts (host byte order; little-endian forms).

These are the declarative truth for nlmsghdr, genlmsghdr, nlattr and
nlmsgerr: :mod:`nl80211dec.netlink.core` and :mod:`.ack` unpack with structs
derived from them (:mod:`nl80211dec.wire.layout`, re-based to the capture's
byte order), and the tests walk the same bytes with both.
"""

from __future__ import annotations

from construct import (
    Aligned,
    Bytes,
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

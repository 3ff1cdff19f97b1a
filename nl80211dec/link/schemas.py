"""Construct schemas of the cooked link headers (big-endian, as written): what :mod:`.cooked` reads."""

from __future__ import annotations

from construct import Bytes, Int8ub, Int16ub, Int32ub, Struct

# LINKTYPE_LINUX_SLL (113) and LINKTYPE_NETLINK (253) share this layout.
CookedHeader = Struct(
    "pkttype" / Int16ub,
    "hatype" / Int16ub,
    "addr_len" / Int16ub,
    "addr" / Bytes(8),
    "protocol" / Int16ub,
)

# LINKTYPE_LINUX_SLL2 (276).
CookedHeaderV2 = Struct(
    "protocol" / Int16ub,
    "reserved" / Int16ub,
    "ifindex" / Int32ub,
    "hatype" / Int16ub,
    "pkttype" / Int8ub,
    "addr_len" / Int8ub,
    "addr" / Bytes(8),
)

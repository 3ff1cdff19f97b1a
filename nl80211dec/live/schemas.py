"""Construct schemas of what the kernel's packet socket hands over (host byte order).

A TPACKET_V3 receive ring is a row of blocks; each block starts with a
descriptor and holds packets, each a ``tpacket3_hdr``, the ``sockaddr_ll``
that says where it came from, then the packet (include/uapi/linux/if_packet.h).
:mod:`.tpacket` reads them with structs derived from these; the tests build
rings with these and parse them with that.
"""

from __future__ import annotations

from construct import Bytes, Int8un, Int16un, Int32sn, Int32un, Int64un, Padding, Struct

# setsockopt(SOL_PACKET, PACKET_RX_RING, tpacket_req3)
TPacketReq3 = Struct(
    "block_size" / Int32un,
    "block_nr" / Int32un,
    "frame_size" / Int32un,
    "frame_nr" / Int32un,
    "retire_blk_tov" / Int32un,  # ms before the kernel hands over a block that is not full
    "sizeof_priv" / Int32un,
    "feature_req_word" / Int32un,
)

# struct tpacket_block_desc with its tpacket_hdr_v1
BlockDesc = Struct(
    "version" / Int32un,
    "offset_to_priv" / Int32un,
    "block_status" / Int32un,
    "num_pkts" / Int32un,
    "offset_to_first_pkt" / Int32un,
    "blk_len" / Int32un,
    "seq_num" / Int64un,
    "ts_first_sec" / Int32un,
    "ts_first_nsec" / Int32un,
    "ts_last_sec" / Int32un,
    "ts_last_nsec" / Int32un,
)

# struct tpacket3_hdr (48 bytes, already TPACKET_ALIGNed)
TPacket3Hdr = Struct(
    "next_offset" / Int32un,
    "sec" / Int32un,
    "nsec" / Int32un,
    "snaplen" / Int32un,
    "len" / Int32un,
    "status" / Int32un,
    "mac" / Int16un,
    "net" / Int16un,
    "rxhash" / Int32un,
    "vlan_tci" / Int32un,
    "vlan_tpid" / Int16un,
    Padding(2),
    Padding(8),
)

# struct sockaddr_ll: native, but for the protocol, in network byte order (kept as its two bytes)
SockaddrLL = Struct(
    "family" / Int16un,
    "protocol" / Bytes(2),
    "ifindex" / Int32sn,
    "hatype" / Int16un,
    "pkttype" / Int8un,
    "halen" / Int8un,
    "addr" / Bytes(8),
)

# getsockopt(SOL_PACKET, PACKET_STATISTICS) on a TPACKET_V3 socket: counters since the last read
TPacketStatsV3 = Struct("packets" / Int32un, "drops" / Int32un, "freeze_q_cnt" / Int32un)

"""The live layouts: the packet ring, the records, the family map, the pcapng blocks - against their schemas."""

from __future__ import annotations

import struct

from hypothesis import given
from hypothesis import strategies as st

from nl80211dec.capture import schemas as CS
from nl80211dec.capture.reader import CaptureReader
from nl80211dec.live import families as fam
from nl80211dec.live import schemas as LS
from nl80211dec.live import tpacket, writer
from nl80211dec.live.packet import Packet, netlink_record, seconds
from nl80211dec.netlink.schemas import GenlMsgHdr, NlAttrs, NlMsgHdr
from nl80211dec.pipeline import Decoder

from .test_live_doubles import OK

u32 = st.integers(0, 2**32 - 1)
u16 = st.integers(0, 2**16 - 1)


@given(st.tuples(u32, u32, u32, u32, u32, u32, u16, u16, u32, u32, u16))
def test_packet_header_struct_is_the_schema(values):
    names = ["next_offset", "sec", "nsec", "snaplen", "len", "status", "mac", "net", "rxhash", "vlan_tci",
             "vlan_tpid"]
    raw = LS.TPacket3Hdr.build(dict(zip(names, values, strict=True)))
    assert len(raw) == tpacket.HEADER.size == 48
    assert tpacket.HEADER.unpack(raw) == values


@given(st.tuples(u32, u32, u32, u32, u32, u32, st.integers(0, 2**64 - 1), u32, u32, u32, u32))
def test_block_struct_is_the_schema(values):
    names = ["version", "offset_to_priv", "block_status", "num_pkts", "offset_to_first_pkt", "blk_len", "seq_num",
             "ts_first_sec", "ts_first_nsec", "ts_last_sec", "ts_last_nsec"]
    raw = LS.BlockDesc.build(dict(zip(names, values, strict=True)))
    assert tpacket.BLOCK.unpack(raw) == values
    assert tpacket.STATUS.unpack_from(raw, tpacket.STATUS_OFFSET)[0] == values[2]


@given(u16, st.integers(-2**31, 2**31 - 1), u16, st.integers(0, 255), st.integers(0, 8), st.binary(min_size=8,
                                                                                                    max_size=8))
def test_address_struct_is_the_schema(protocol, ifindex, hatype, pkttype, halen, addr):
    raw = LS.SockaddrLL.build({"family": 17, "protocol": protocol.to_bytes(2, "big"), "ifindex": ifindex,
                               "hatype": hatype, "pkttype": pkttype, "halen": halen, "addr": addr})
    fam_, proto, idx, ht, pt, hl, ad = tpacket.ADDRESS.unpack(raw)
    assert (fam_, int.from_bytes(proto, "big"), idx, ht, pt, hl, ad) == (17, protocol, ifindex, hatype, pkttype,
                                                                         halen, addr)


def build_ring(geometry: tpacket.Geometry, blocks: list[list[tuple[int, int, bytes, int]]]) -> bytearray:
    """A ring as the kernel fills it: each block's packets (sec, nsec, data, protocol), then TP_STATUS_USER."""
    ring = bytearray(geometry.size)
    for b, packets in enumerate(blocks):
        start = b * geometry.block_size
        pos = first = LS.BlockDesc.sizeof()
        for i, (sec, nsec, data, proto) in enumerate(packets):
            mac = 48 + 20 + 12  # after the header and sockaddr_ll, aligned as the kernel does
            size = (mac + len(data) + 15) & ~15
            last = i == len(packets) - 1
            ring[start + pos:start + pos + 48] = LS.TPacket3Hdr.build({
                "next_offset": 0 if last else size, "sec": sec, "nsec": nsec, "snaplen": len(data),
                "len": len(data), "status": 1, "mac": mac, "net": mac, "rxhash": 0, "vlan_tci": 0,
                "vlan_tpid": 0})
            ring[start + pos + 48:start + pos + 68] = LS.SockaddrLL.build({
                "family": 17, "protocol": proto.to_bytes(2, "big"), "ifindex": 7, "hatype": 824, "pkttype": 4,
                "halen": 0, "addr": bytes(8)})
            ring[start + pos + mac:start + pos + mac + len(data)] = data
            pos += size
        ring[start:start + 48] = LS.BlockDesc.build({
            "version": 1, "offset_to_priv": 0, "block_status": tpacket.TP_STATUS_USER, "num_pkts": len(packets),
            "offset_to_first_pkt": first, "blk_len": pos, "seq_num": b, "ts_first_sec": 0, "ts_first_nsec": 0,
            "ts_last_sec": 0, "ts_last_nsec": 0})
    return ring


def test_ring_reader_takes_ready_blocks_in_order_and_gives_them_back():
    geo = tpacket.Geometry(block_size=4096, block_nr=3, frame_size=2048)
    ring = build_ring(geo, [[(100, 5, b"\x14\0\0\0" + bytes(16), 16), (100, 6, b"abc", 0)], [(101, 0, b"x" * 700, 16)]])
    reader = tpacket.RingReader(ring, geo)
    got = reader.take()
    assert [(p.ticks, p.data[:3], p.protocol, p.hatype, p.pkttype, p.orig_len) for p in got] == [
        (100_000_000_005, b"\x14\0\0", 16, 824, 4, 20), (100_000_000_006, b"abc", 0, 824, 4, 3),
        (101_000_000_000, b"xxx", 16, 824, 4, 700)]
    assert got[0].timestamp == seconds(got[0].ticks, 9)
    assert reader.block == 2 and not reader.ready()  # the third block is the kernel's
    assert [tpacket.STATUS.unpack_from(ring, b * 4096 + 8)[0] for b in range(3)] == [0, 0, 0]
    # the kernel fills the third block, then wraps to the first
    ring[:] = build_ring(geo, [[(102, 0, b"first-again", 16)], [], [(101, 9, b"third", 16)]])
    ring[4096 + 8:4096 + 12] = bytes(4)
    assert [p.data for p in reader.take()] == [b"third", b"first-again"]
    assert reader.block == 1


def test_ring_request_is_a_tpacket_req3():
    geo = tpacket.Geometry()
    req = LS.TPacketReq3.parse(geo.request())
    assert req.block_size * req.block_nr == geo.size and req.frame_nr == geo.size // req.frame_size
    assert req.block_size % 4096 == 0 and req.retire_blk_tov == geo.retire_ms


def test_record_is_the_one_tcpdump_writes():
    """Link type 253, 16-byte header: packet type, ARPHRD_NETLINK, address length, address, protocol."""
    original = next(iter(CaptureReader(OK)))
    proto = int.from_bytes(original.data[14:16], "big")
    pkt = Packet(1, 2.0, original.data[16:], original.orig_len - 16, proto)
    rec = netlink_record(1, pkt)
    assert rec.linktype == 253 and rec.orig_len == original.orig_len
    assert rec.data[:6] == original.data[:6] == b"\x00\x04\x03\x38\x00\x00"  # outgoing, 824, no address
    assert rec.data[14:] == original.data[14:]
    assert rec.data[6:14] == bytes(8)  # tcpdump's file holds stale kernel bytes there (halen is 0)


def test_family_message_is_a_kernel_newfamily_the_decoder_learns_from():
    family = fam.Family("nl80211", 0x1C, 1, 0, 337)
    raw = fam.newfamily_message(family)
    hdr = NlMsgHdr.parse(raw)
    assert (hdr.length, hdr.type, hdr.flags, hdr.seq, hdr.pid) == (len(raw), 0x10, 0, 0, 0)
    assert GenlMsgHdr.parse(raw[16:]).cmd == fam.CTRL_CMD_NEWFAMILY
    attrs = {a.type: a.value for a in NlAttrs.parse(raw[20:])}
    assert attrs[1] == struct.pack("<H", 0x1C) and attrs[2] == b"nl80211\0" and attrs[5] == struct.pack("<I", 337)
    dec = Decoder()
    packets = fam.family_packets([family], 5, 5e-9)
    [msg] = dec.feed(netlink_record(1, packets[0]))
    assert (msg.family, msg.cmd_name, msg.value("FAMILY_ID"), msg.value("FAMILY_NAME")) == (
        "nlctrl", "NEWFAMILY", 0x1C, "nl80211")
    assert dec.families.lookup(0x1C) == ("nl80211", "nlctrl")
    assert packets[0].comment == fam.NOTE


@given(st.integers(0, 2**63), st.binary(max_size=70), st.one_of(st.none(), st.text(max_size=30)))
def test_packet_block_is_the_schema_block(ticks, data, comment):
    opts = writer.options((writer.OPT_COMMENT, comment.encode())) if comment else b""
    body = CS.PcapngEPBBody.build({"interface_id": 0, "ts_high": ticks >> 32, "ts_low": ticks & 0xFFFFFFFF,
                                   "cap_len": len(data), "orig_len": len(data) + 3, "data": data,
                                   "pad": bytes(-len(data) % 4)}) + opts
    assert writer.packet_block(ticks, data, len(data) + 3, comment) == writer.block(CS.PCAPNG_EPB, body)


def test_writer_file_reads_back_with_the_same_times_and_bytes(tmp_path):
    path = tmp_path / "x.pcapng"
    w = writer.PcapngWriter(path, ifname="nlmon0", resolution=9, comments=["hello"])
    stamps = [1_764_620_000_123_456_789, 1_764_620_001_000_000_001]
    for i, t in enumerate(stamps):
        w.write(t, bytes([i]) * (i + 5), i + 9, seconds(t, 9), "note" if i else None)
    w.close()
    back = list(CaptureReader(path))
    assert [(r.timestamp, r.data, r.orig_len, r.linktype) for r in back] == [
        (seconds(t, 9), bytes([i]) * (i + 5), i + 9, 253) for i, t in enumerate(stamps)]
    assert w.size == path.stat().st_size

"""Capture readers: every container form, and damage handled without a traceback."""

from __future__ import annotations

import gzip
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nl80211dec
from nl80211dec.capture import CaptureReader
from nl80211dec.capture import schemas as CS
from nl80211dec.errors import DecodeError, NotACaptureError
from nl80211dec.testing.writers import genl_message, pcap_bytes, pcap_to_pcapng, pcapng_bytes, sll_record

from .golden_util import CAPTURES

REAL = (CAPTURES / "iwd-sae-ok" / "iwmon.pcap").read_bytes()

records_st = st.lists(st.tuples(st.integers(0, 2**31 - 1).map(lambda s: s + 0.25), st.binary(max_size=64)),
                      max_size=8)


def _read(data: bytes):
    r = CaptureReader(data)
    return r, [(rec.timestamp, rec.data) for rec in r]


@given(records_st, st.booleans(), st.booleans())
def test_pcap_any_byte_order_and_resolution(records, big, ns):
    data = pcap_bytes(records, big_endian=big, nanoseconds=ns)
    reader, got = _read(data)
    assert reader.damage is None
    assert [d for _, d in got] == [d for _, d in records]
    assert [t for t, _ in got] == pytest.approx([t for t, _ in records])


@given(records_st, st.sampled_from([6, 9]))
def test_pcapng_records_and_resolution(records, tsresol):
    reader, got = _read(pcapng_bytes(records, tsresol=tsresol))
    assert reader.damage is None and reader.format == "pcapng"
    assert [d for _, d in got] == [d for _, d in records]
    assert [t for t, _ in got] == pytest.approx([t for t, _ in records])


def test_pcapng_several_interfaces_and_unknown_blocks_counted():
    msg = sll_record(genl_message(0x10, 3))
    data = pcapng_bytes([(1.0, msg, 0), (2.0, msg, 1)], linktypes=(113, 253), extra_blocks=True)
    reader, got = _read(data)
    assert len(got) == 2
    assert reader.linktypes == [113, 253]
    assert sum(reader.skipped.values()) == 2


def test_schema_and_fast_reader_agree_on_real_capture():
    """The Construct description of pcap parses the same records the fast reader yields."""
    hdr = CS.PcapHeaderLE.parse(REAL[:24])
    assert hdr.linktype == 113
    fast = list(CaptureReader(REAL))
    off = 24
    for rec in fast[:200]:
        parsed = CS.PcapRecordLE.parse(REAL[off:])
        assert parsed.data == rec.data and rec.offset == off
        off += 16 + parsed.incl_len


def test_pcap_and_pcapng_forms_decode_identically():
    a = [(m.cmd_name, m.role, [x.raw for x in m.attrs]) for m in nl80211dec.open(REAL)]
    b = [(m.cmd_name, m.role, [x.raw for x in m.attrs]) for m in nl80211dec.open(pcap_to_pcapng(REAL, tsresol=9))]
    assert a == b and len(a) > 900


def test_gzip_is_read_transparently(tmp_path):
    path = tmp_path / "c.pcap.gz"
    path.write_bytes(gzip.compress(REAL))
    assert len(nl80211dec.open(path).to_list()) == len(nl80211dec.open(REAL).to_list())
    # and from a non-seekable stream
    class Pipe(io.RawIOBase):
        def __init__(self, data):
            self._b = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, b):
            chunk = self._b.read(len(b))
            b[: len(chunk)] = chunk
            return len(chunk)

    assert len(list(CaptureReader(io.BufferedReader(Pipe(gzip.compress(REAL)))))) == 991


@pytest.mark.parametrize("data", [b"", b"\xd4\xc3", b"hello world, not a capture", b"\x1f\x8b\x08garbage"])
def test_not_a_capture(data):
    with pytest.raises(NotACaptureError):
        nl80211dec.open(data)


def test_truncation_at_every_offset_keeps_what_came_before():
    small = pcap_bytes([(1.0 + i, sll_record(genl_message(0x10, 3, seq=i))) for i in range(4)])
    full = len(list(CaptureReader(small)))
    for cut in range(24, len(small)):
        reader = CaptureReader(small[:cut])
        got = list(reader)
        assert len(got) <= full
        if cut < len(small) and reader.damage is None:
            # a cut on a record boundary is a shorter, valid file
            assert sum(16 + len(r.data) for r in got) + 24 == cut
        if reader.damage is not None:
            assert reader.damage.offset is not None and reader.damage.offset <= cut


def test_huge_record_length_is_damage_not_allocation():
    bad = bytearray(pcap_bytes([(1.0, b"x" * 20)]))
    bad[24 + 8: 24 + 12] = (0x7FFFFFFF).to_bytes(4, "little")
    reader = CaptureReader(bytes(bad))
    assert list(reader) == []
    assert isinstance(reader.damage, DecodeError) and "exceeds" in str(reader.damage)


def test_pcapng_bad_block_length_is_damage():
    data = bytearray(pcapng_bytes([(1.0, b"abcd")] * 3))
    # corrupt the length of the second EPB
    first_epb = data.index((6).to_bytes(4, "little"), 28)
    second = first_epb + int.from_bytes(data[first_epb + 4:first_epb + 8], "little")
    data[second + 4:second + 8] = (7).to_bytes(4, "little")
    reader = CaptureReader(bytes(data))
    assert len(list(reader)) == 1
    assert reader.damage is not None


@settings(max_examples=200)
@given(st.binary(max_size=200))
def test_random_bytes_never_raise_anything_else(data):
    try:
        cap = nl80211dec.open(data)
    except DecodeError:
        return
    for _ in cap:
        pass


def _swap_pcapng(le: bytes) -> bytes:
    """The same pcapng written big-endian (the reader must accept either byte order)."""
    import struct

    out, pos = [], 0
    while pos < len(le):
        btype, blen = struct.unpack_from("<II", le, pos)
        body = le[pos + 8:pos + blen - 4]
        if btype == CS.PCAPNG_SHB:
            _bom, major, minor, slen = struct.unpack_from("<IHHQ", body)
            body = struct.pack(">IHHQ", CS.PCAPNG_BOM, major, minor, slen) + body[16:]
        elif btype == CS.PCAPNG_IDB:
            lt, res, snap = struct.unpack_from("<HHI", body)
            opts, o = b"", 8
            while o + 4 <= len(body):
                code, olen = struct.unpack_from("<HH", body, o)
                padded = (olen + 3) & ~3
                opts += struct.pack(">HH", code, olen) + body[o + 4:o + 4 + padded]
                o += 4 + padded
            body = struct.pack(">HHI", lt, res, snap) + opts
        elif btype == CS.PCAPNG_EPB:
            fields = struct.unpack_from("<IIIII", body)
            body = struct.pack(">IIIII", *fields) + body[20:]
        out.append(struct.pack(">II", btype, blen) + body + struct.pack(">I", blen))
        pos += blen
    return b"".join(out)


def test_big_endian_pcapng_reads_like_little_endian():
    le = pcap_to_pcapng(REAL, tsresol=9)
    be = _swap_pcapng(le)
    assert be != le
    a = [(r.timestamp, r.data) for r in CaptureReader(le)]
    b = [(r.timestamp, r.data) for r in CaptureReader(be)]
    assert a == b and len(a) == 991


def test_simple_and_obsolete_packet_blocks():
    import struct

    from nl80211dec.testing.writers import _block

    msg = sll_record(genl_message(0x10, 3))
    shb = pcapng_bytes([])  # SHB + IDB only
    spb = _block(CS.PCAPNG_SPB, struct.pack("<I", len(msg)) + msg)
    opb = _block(CS.PCAPNG_OPB, struct.pack("<HHIIII", 0, 0, 0, 5_000_000, len(msg), len(msg)) + msg)
    reader = CaptureReader(shb + spb + opb)
    got = list(reader)
    assert [r.data for r in got] == [msg, msg] and got[1].timestamp == pytest.approx(5.0)
    assert reader.damage is None


def test_air_capture_in_pcapng():
    from nl80211dec.air.frames import AirCapture

    air = (CAPTURES / "iwd-sae-ok" / "air.pcap").read_bytes()
    a, b = AirCapture(air), AirCapture(pcap_to_pcapng(air))
    assert [(f.number, f.frame.subtype_name, f.acked) for f in a] == \
           [(f.number, f.frame.subtype_name, f.acked) for f in b]
    assert len(b.sae_frames) == 6


def test_sll2_capture_decodes_like_sll():
    from nl80211dec.link.schemas import CookedHeader, CookedHeaderV2

    sll2 = []
    for rec in CaptureReader(REAL):
        h = CookedHeader.parse(rec.data[:16])
        head = CookedHeaderV2.build({"protocol": h.protocol, "reserved": 0, "ifindex": 7, "hatype": h.hatype,
                                     "pkttype": h.pkttype, "addr_len": 0, "addr": bytes(8)})
        sll2.append((rec.timestamp, head + rec.data[16:]))
    a = [(m.cmd_name, m.role, [x.raw for x in m.attrs]) for m in nl80211dec.open(REAL)]
    b = [(m.cmd_name, m.role, [x.raw for x in m.attrs]) for m in nl80211dec.open(pcap_bytes(sll2, linktype=276))]
    assert a == b


def test_one_pcapng_with_netlink_and_radiotap_interfaces():
    """A capture tool that records nlmon0 and a monitor interface into one file: join it with itself."""
    nl = list(CaptureReader(CAPTURES / "iwd-sae-ok" / "nlmon.pcap"))
    air = list(CaptureReader(CAPTURES / "iwd-sae-ok" / "air.pcap"))
    merged = sorted([(r.timestamp, r.data, 0) for r in nl] + [(r.timestamp, r.data, 1) for r in air])
    mixed = pcapng_bytes(merged, linktypes=(253, 127))
    cap = nl80211dec.open(mixed, air=mixed)
    msgs = cap.to_list()
    assert len(msgs) == 1160
    assert cap.summary.skipped_records == len(air)
    assert cap.summary.air["sae_frames"] == 6 and cap.summary.air["matched_sae"] == 6

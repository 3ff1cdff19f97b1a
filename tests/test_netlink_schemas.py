"""Construct schemas round-trip, and the struct fast path agrees with them byte for byte."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nl80211dec.capture.reader import Record
from nl80211dec.errors import DecodeError
from nl80211dec.link import parse_link
from nl80211dec.link.schemas import CookedHeader, CookedHeaderV2
from nl80211dec.netlink.core import iter_attrs, split_messages
from nl80211dec.netlink.schemas import GenlMsgHdr, NlAttr, NlAttrs, NlMsg, NlMsgErr, NlMsgHdr
from nl80211dec.pipeline import Decoder

u8, u16, u32 = st.integers(0, 0xFF), st.integers(0, 0xFFFF), st.integers(0, 2**32 - 1)

hdr_st = st.fixed_dictionaries({"length": u32, "type": u16, "flags": u16, "seq": u32, "pid": u32})
attr_st = st.tuples(st.integers(0, 0x3FFF), st.binary(max_size=40))
msg_st = st.tuples(u16.filter(lambda t: t >= 16), u16, u32, u32, st.lists(attr_st, max_size=6))


def _attrs_bytes(attrs):
    return b"".join(NlAttr.build({"length": 4 + len(v), "type": n, "value": v}) for n, v in attrs)


@given(hdr_st)
def test_nlmsghdr_round_trip(h):
    assert dict(NlMsgHdr.parse(NlMsgHdr.build(h)), _io=None) == dict(h, _io=None)


@given(st.fixed_dictionaries({"cmd": u8, "version": u8, "reserved": u16}))
def test_genlmsghdr_round_trip(h):
    assert dict(GenlMsgHdr.parse(GenlMsgHdr.build(h)), _io=None) == dict(h, _io=None)


@given(st.fixed_dictionaries({"error": st.integers(-(2**31), 2**31 - 1), "echo": hdr_st}))
def test_nlmsgerr_round_trip(e):
    parsed = NlMsgErr.parse(NlMsgErr.build(e))
    assert parsed.error == e["error"] and parsed.echo.seq == e["echo"]["seq"]


@given(st.lists(attr_st, max_size=8))
def test_attrs_round_trip_and_fast_path_agree(attrs):
    data = _attrs_bytes(attrs)
    parsed = NlAttrs.parse(data)
    assert [(a.type, a.value) for a in parsed] == attrs
    fast = [(t, bytes(data[s:e])) for t, _f, s, e, problem in iter_attrs(data, 0, len(data)) if problem is None]
    assert fast == attrs


@given(st.lists(msg_st, min_size=1, max_size=5))
def test_message_framing_agrees_with_schema(msgs):
    buf = b""
    for mtype, flags, seq, pid, attrs in msgs:
        body = GenlMsgHdr.build({"cmd": 1, "version": 1, "reserved": 0}) + _attrs_bytes(attrs)
        buf += NlMsg.build({"header": {"length": 16 + len(body), "type": mtype, "flags": flags, "seq": seq,
                                       "pid": pid}, "payload": body})
        buf += bytes(-len(buf) % 4)
    fast = list(split_messages(buf))
    assert all(p is None for *_, p in fast)
    assert [(t, f, s, p) for _o, _l, t, f, s, p, _pr in fast] == [(m[0], m[1], m[2], m[3]) for m in msgs]


@given(st.fixed_dictionaries({"pkttype": u16, "hatype": u16, "addr_len": u16, "addr": st.binary(min_size=8,
                              max_size=8), "protocol": u16}), st.binary(max_size=20))
def test_cooked_header_fast_path_agrees(h, payload):
    data = CookedHeader.build(h) + payload
    lf = parse_link(113, data)
    assert (lf.pkttype, lf.hatype, lf.protocol, lf.offset) == (h["pkttype"], h["hatype"], h["protocol"], 16)


@given(st.fixed_dictionaries({"protocol": u16, "reserved": u16, "ifindex": u32, "hatype": u16, "pkttype": u8,
                              "addr_len": u8, "addr": st.binary(min_size=8, max_size=8)}))
def test_sll2_fast_path_agrees(h):
    lf = parse_link(276, CookedHeaderV2.build(h))
    assert (lf.pkttype, lf.hatype, lf.protocol, lf.offset) == (h["pkttype"], h["hatype"], h["protocol"], 20)


@given(st.binary(max_size=15))
def test_short_link_header_is_a_decode_error(data):
    try:
        parse_link(113, data)
    except DecodeError:
        return
    raise AssertionError("accepted a short header")


@given(st.binary(max_size=300), st.sampled_from([113, 253, 276]))
def test_random_record_bodies_become_messages_or_malformed(data, linktype):
    dec = Decoder()
    out = dec.feed(Record(1, 0.0, linktype, data, len(data), 0)) + dec.flush()
    assert dec.summary.records == 1
    assert dec.summary.messages == len(out)
    for m in out:
        m.malformed  # noqa: B018 - walking every attribute must not raise


@given(st.lists(attr_st, max_size=6), st.integers(0, 60))
def test_truncated_attributes_are_marked(attrs, cut):
    data = _attrs_bytes(attrs)[:cut]
    items = list(iter_attrs(data, 0, len(data)))
    problems = [p for *_, p in items if p]
    assert len(problems) <= 1
    if problems:
        assert items[-1][-1] is not None

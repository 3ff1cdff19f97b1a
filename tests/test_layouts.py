"""One truth, two speeds: the struct fast paths are the Construct schemas, byte for byte.

Every fast path unpacks with a struct derived from a schema
(:mod:`nl80211dec.wire.layout`).  These tests build random values with the
schemas and parse them with the fast paths, show that the derivation follows
a changed schema, and, where a layout cannot be derived (radiotap's aligned
optional fields, element bodies, TLV walks), parse random and real bytes
(the shipped captures) with both and compare every field.
"""

from __future__ import annotations

import struct
from functools import cache
from typing import Any

import pytest
from construct import (
    Bytes,
    Const,
    Construct,
    Container,
    FormatField,
    GreedyBytes,
    Int8ub,
    Int16ub,
    Int16ul,
    Int32sl,
    Int32ul,
    Int64ul,
    Padding,
    Renamed,
    StreamError,
    Struct,
    this,
)
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nl80211dec.air.radiotap import FIELD_SCHEMAS, FIELDS, PRESENT_EXT, Radiotap, RadiotapHeader, parse_radiotap
from nl80211dec.capture import CaptureReader
from nl80211dec.capture import schemas as CS
from nl80211dec.capture.reader import Record
from nl80211dec.dot11 import frames as F
from nl80211dec.dot11.eapol import decode_eapol
from nl80211dec.dot11.elements import decode_elements
from nl80211dec.dot11.frames import decode_frame
from nl80211dec.dot11.schemas import (
    MGMT_BODIES,
    ActionBody,
    BeaconBody,
    EapolHeader,
    Element,
    MgmtFrame,
    MgmtHeader,
    RsnBody,
    eapol_frame,
    eapol_key,
)
from nl80211dec.link import cooked, parse_link
from nl80211dec.link.schemas import CookedHeader, CookedHeaderV2
from nl80211dec.netlink.core import NLA_HEADERS, NLMSG_HEADERS, iter_attrs, split_messages
from nl80211dec.netlink.schemas import GenlMsgHdr, NlAttrHdr, NlMsgErr, NlMsgHdr
from nl80211dec.pipeline import Decoder
from nl80211dec.sae.schemas import SaeAuthData
from nl80211dec.wire import ieee80211 as enums
from nl80211dec.wire.layout import Layout, LayoutError, fixed_layout
from nl80211dec.wire.suites import suite_text
from nl80211dec.wire.text import format_mac, named

from .golden_util import CAPTURES

relaxed = settings(deadline=None)  # Construct builds are slow on a loaded machine; the examples are what count

# -- test-side helpers (independent of wire/layout.py) -------------------------------------------------------


def twin(con: Construct, order: str) -> Construct:
    """The same schema written in byte order ``order``: every integer re-declared, the rest kept."""
    if isinstance(con, Renamed):
        return con.name / twin(con.subcon, order)
    if isinstance(con, Struct):
        return Struct(*(twin(sub, order) for sub in con.subcons))
    if isinstance(con, Const):
        return Const(con.value, twin(con.subcon, order))
    if isinstance(con, FormatField):
        return FormatField(order, con.fmtstr[1:])
    return con


def prefix_schema(schema: Struct, layout: Layout) -> Struct:
    """The schema's own fields up to where the layout stopped (the same subcon objects)."""
    names = [sub.name for sub in schema.subcons]
    return Struct(*schema.subcons[:names.index(layout.stopped_at)] if layout.stopped_at else schema.subcons)


def flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """A parsed Container as dotted names -> values (what a layout's names say)."""
    out: dict[str, Any] = {}
    for k, v in value.items():
        if k.startswith("_"):
            continue
        if isinstance(v, Container):
            out.update(flat(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v
    return out


def nested(values: dict[str, Any]) -> dict[str, Any]:
    """Dotted names -> the nested dict a schema builds from."""
    out: dict[str, Any] = {}
    for name, v in values.items():
        *outer, last = name.split(".")
        d = out
        for part in outer:
            d = d.setdefault(part, {})
        d[last] = v
    return out


def value_st(code: str) -> st.SearchStrategy[Any]:
    """Random values of one struct format code ('H', 'l', '6s', ...)."""
    if code.endswith("s"):
        n = int(code[:-1] or 1)
        return st.binary(min_size=n, max_size=n)
    bits = 8 * struct.calcsize("<" + code)
    if code.islower():
        return st.integers(-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
    return st.integers(0, (1 << bits) - 1)


def consts(schema: Struct) -> dict[str, Any]:
    return {sub.name: sub.subcon.value for sub in schema.subcons
            if isinstance(sub, Renamed) and isinstance(sub.subcon, Const)}


def draw_values(data: st.DataObject, schema: Struct, layout: Layout) -> dict[str, Any]:
    fixed = consts(schema)
    return {f.name: fixed[f.name] if f.name in fixed else data.draw(value_st(f.struct.format[1:]), label=f.name)
            for f in layout.fields}


# -- the helper itself ---------------------------------------------------------------------------------------


def test_format_names_offsets_and_where_the_prefix_stops():
    schema = Struct("a" / Int8ub, "b" / Int16ul, Padding(1), "c" / Bytes(3),
                    "d" / Struct("x" / Int32sl, "y" / Int64ul), "rest" / GreedyBytes, "z" / Int8ub)
    layout = fixed_layout(schema)
    assert layout.struct.format == "<BH1x3slQ"
    assert layout.names == ("a", "b", "c", "d.x", "d.y")
    assert [f.offset for f in layout.fields] == [0, 1, 4, 7, 11]
    assert layout.size == 19 and layout.stopped_at == "rest"
    assert fixed_layout(Struct("n" / Int8ub, "data" / Bytes(this.n))).stopped_at == "data"
    assert fixed_layout(NlMsgHdr).stopped_at is None


def test_constants_are_fields_and_unnamed_values_are_skipped():
    layout = fixed_layout(Struct("magic" / Const(0x1A2B3C4D, Int32ul), Int16ul, "v" / Int16ul))
    assert layout.names == ("magic", "v") and layout.struct.format == "<L2xH"
    assert layout.parse(struct.pack("<IHH", 0x1A2B3C4D, 7, 9)) == {"magic": 0x1A2B3C4D, "v": 9}


def test_until_names_the_field_to_stop_before():
    assert fixed_layout(eapol_key(), until="mic").names[-1] == "reserved"
    with pytest.raises(LayoutError, match="stopped at 'key_data' before 'nothing'"):
        fixed_layout(eapol_key(), until="nothing")
    with pytest.raises(LayoutError, match="reached the end"):
        fixed_layout(NlMsgHdr, until="nothing")


def test_mixed_byte_orders_are_refused_unless_rebased():
    mixed = Struct("a" / Int16ul, "b" / Int16ub, "c" / Int8ub)
    with pytest.raises(LayoutError, match="mixed byte orders"):
        fixed_layout(mixed)
    assert fixed_layout(mixed, ">").struct.format == ">HHB"
    assert fixed_layout(Struct("a" / Int8ub, "b" / Int16ul)).struct.format == "<BH"  # one octet has no order
    with pytest.raises(LayoutError):
        fixed_layout(NlMsgHdr, "!")


def test_unpacks_as_refuses_another_order_of_fields():
    layout = fixed_layout(NlMsgHdr)
    assert layout.unpacks_as("length", "type", "flags", "seq", "pid") is layout.struct
    with pytest.raises(LayoutError, match="expects"):
        layout.unpacks_as("length", "type", "flags", "pid", "seq")


@pytest.mark.parametrize("schema", [NlMsgHdr, NlAttrHdr, NlMsgErr, GenlMsgHdr, CS.PcapngBlock, CS.PcapngEPBBody,
                                    CS.PcapngOPBBody, CS.PcapngIDBBody, CS.PcapngSHBBody, CS.PcapngOption])
@relaxed
@given(data=st.data())
def test_rebasing_swaps_every_multibyte_field(schema, data):
    """The '>' struct of a little-endian schema is the struct of the same schema written big-endian."""
    big = fixed_layout(schema, ">")
    assert big.struct.format == fixed_layout(twin(schema, ">")).struct.format
    values = draw_values(data, schema, big)
    raw = prefix_schema(twin(schema, ">"), big).build(nested(values))
    assert big.parse(raw) == values
    little = fixed_layout(schema, "<").struct.pack(*values.values())
    for f in big.fields:
        part = slice(f.offset, f.offset + f.struct.size)
        assert raw[part] == (little[part] if f.struct.format.endswith("s") else little[part][::-1])


# -- every derived struct against its schema -------------------------------------------------------------------

DERIVED = {  # what the fast paths derive, in the byte orders they use
    "cooked": (CookedHeader, None), "sll2": (CookedHeaderV2, None),
    "nlmsghdr<": (NlMsgHdr, "<"), "nlmsghdr>": (NlMsgHdr, ">"), "nlattr<": (NlAttrHdr, "<"),
    "nlattr>": (NlAttrHdr, ">"), "nlmsgerr<": (NlMsgErr, "<"), "nlmsgerr>": (NlMsgErr, ">"),
    "genlmsghdr": (GenlMsgHdr, None), "mgmt-header": (MgmtHeader, None),
    **{f"mgmt-body-{sub}": (schema, None) for sub, schema in MGMT_BODIES.items()},
    "eapol-header": (EapolHeader, None), "eapol-key": (eapol_key(), None),
    "pcap-header-le": (CS.PcapHeaderLE, None), "pcap-header-be": (CS.PcapHeaderBE, None),
    "pcap-record-le": (CS.PcapRecordLE, None), "pcap-record-be": (CS.PcapRecordBE, None),
    **{f"{name}{o}": (getattr(CS, name), o) for name in ("PcapngBlock", "PcapngSHBBody", "PcapngIDBBody",
                                                          "PcapngEPBBody", "PcapngOPBBody", "PcapngSPBBody",
                                                          "PcapngOption") for o in "<>"},
    "radiotap-header": (RadiotapHeader, None), "sae-auth-data": (SaeAuthData, None),
}


@pytest.mark.parametrize("name", sorted(DERIVED))
@relaxed
@given(data=st.data())
def test_schema_built_values_unpack_identically(name, data):
    """Values built with the schema (written in the struct's byte order) come back from the struct, and the schema
    parses the same bytes to the same values."""
    schema, order = DERIVED[name]
    layout = fixed_layout(schema, order)
    written = twin(schema, order) if order else schema
    values = draw_values(data, written, layout)
    raw = prefix_schema(written, layout).build(nested(values))
    assert len(raw) == layout.size
    assert layout.parse(raw) == values
    assert flat(prefix_schema(written, layout).parse(raw)) == values


def test_the_fast_paths_hold_the_derived_structs():
    assert NLMSG_HEADERS[">"].format == fixed_layout(NlMsgHdr, ">").struct.format
    assert NLA_HEADERS["<"].format == fixed_layout(NlAttrHdr).struct.format
    for sub, (fields, size) in F.BODY_FIELDS.items():
        layout = fixed_layout(MGMT_BODIES[sub])
        assert [(f.name, f.offset, f.struct.format) for f, _ in fields] == [
            (f.name, f.offset, f.struct.format) for f in layout.fields]
        assert size == layout.size
    assert sorted(F.BODY_FIELDS) == sorted(set(MGMT_BODIES) - {F.ACTION})
    assert {f.name for fields, _ in F.BODY_FIELDS.values() for f, _ in fields} <= set(F.FIELD_KINDS)
    for bit, (name, align, layout) in FIELDS.items():
        assert (name, align, layout.size) == (FIELD_SCHEMAS[bit][0], FIELD_SCHEMAS[bit][1],
                                              FIELD_SCHEMAS[bit][2].sizeof())


STA, AP = bytes.fromhex("020000000100"), bytes.fromhex("020000000000")


def _mgmt(subtype: int, body: bytes) -> bytes:
    """A management frame: the header built with its schema, then ``body`` as given (perhaps cut short)."""
    return MgmtHeader.build({"frame_control": subtype << 4, "duration": 0, "addr1": AP, "addr2": STA, "addr3": AP,
                             "seq_ctrl": 16}) + body


# -- mutation: the derivation follows the schema -----------------------------------------------------------------

def _swapped(schema: Struct, a: str, b: str) -> Struct:
    subs = list(schema.subcons)
    i, j = (next(k for k, s in enumerate(subs) if s.name == n) for n in (a, b))
    subs[i], subs[j] = subs[j], subs[i]
    return Struct(*subs)


@pytest.mark.parametrize("schema,a,b", [(BeaconBody, "beacon_interval", "capability"),
                                        (CookedHeaderV2, "ifindex", "hatype"), (NlMsgHdr, "type", "seq"),
                                        (CS.PcapngEPBBody, "interface_id", "cap_len")])
@relaxed
@given(data=st.data())
def test_a_swap_in_the_schema_is_a_swap_in_the_struct(schema, a, b, data):
    before, after = fixed_layout(schema), fixed_layout(_swapped(schema, a, b))
    swap = {a: b, b: a}
    assert after.names == tuple(swap.get(n, n) for n in before.names)
    codes = {f.name: f.struct.format[1:] for f in before.fields}
    assert [f.struct.format[1:] for f in after.fields] == [codes[n] for n in after.names]
    values = draw_values(data, schema, after)
    raw = prefix_schema(_swapped(schema, a, b), after).build(nested(values))
    assert after.parse(raw) == values


@relaxed
@given(ts=st.integers(0, 2**64 - 1), interval=st.integers(0, 0xFFFF), cap=st.integers(0, 0xFFFF))
def test_management_decoder_follows_a_changed_body_schema(ts, interval, cap):
    """Swap two fields of the beacon schema: the derived table, and so the decoder, follow."""
    swapped = _swapped(BeaconBody, "beacon_interval", "capability")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(F, "BODY_FIELDS", F.body_fields({**MGMT_BODIES, 8: swapped}))
        frame = decode_frame(_mgmt(8, swapped.build({"timestamp": ts, "beacon_interval": interval,
                                                     "capability": cap, "elements": b""})))
    assert frame.numbers == {"timestamp": ts, "capability": cap, "beacon_interval": interval}
    assert list(frame.fields) == ["timestamp", "capability", "beacon_interval"]


def test_cooked_decoder_follows_a_changed_header_schema(monkeypatch):
    swapped = _swapped(CookedHeader, "pkttype", "hatype")
    monkeypatch.setitem(cooked._HEADERS, 113, (fixed_layout(swapped), "cooked header"))
    cooked._parse_header.cache_clear()
    try:
        raw = swapped.build({"pkttype": 4, "hatype": 824, "addr_len": 0, "addr": bytes(8), "protocol": 16})
        lf = parse_link(113, raw)
        assert (lf.pkttype, lf.hatype, lf.protocol, lf.kind) == (4, 824, 16, "generic")
    finally:
        cooked._parse_header.cache_clear()


def test_a_positional_fast_path_refuses_a_reordered_schema():
    with pytest.raises(LayoutError):
        fixed_layout(_swapped(NlMsgHdr, "seq", "pid"), "<").unpacks_as("length", "type", "flags", "seq", "pid")
    wider = Struct(*(s if s.name != "flags" else "flags" / Int32ul for s in NlMsgHdr.subcons))
    assert fixed_layout(wider, ">").unpacks_as("length", "type", "flags", "seq", "pid").format == ">LHLLL"


# -- the fast paths on schema-built bytes -------------------------------------------------------------------------

u8, u16, u32 = st.integers(0, 0xFF), st.integers(0, 0xFFFF), st.integers(0, 2**32 - 1)
order_st = st.sampled_from("<>")


def _in(order: str, schema: Struct) -> Struct:
    return schema if order == "<" else twin(schema, ">")


@relaxed
@given(order_st, st.lists(st.tuples(u16.filter(lambda t: t >= 16), u16, u32, u32,
                                    st.lists(st.tuples(st.integers(0, 0x3FFF), st.binary(max_size=12)),
                                             max_size=4)), min_size=1, max_size=4))
def test_netlink_framing_in_both_byte_orders(order, msgs):
    hdr, attr = _in(order, NlMsgHdr), _in(order, NlAttrHdr)
    buf = b""
    for mtype, flags, seq, pid, attrs in msgs:
        body = b"".join(attr.build({"length": 4 + len(v), "type": n}) + v + bytes(-len(v) % 4) for n, v in attrs)
        buf += hdr.build({"length": 16 + len(body), "type": mtype, "flags": flags, "seq": seq, "pid": pid}) + body
    got = list(split_messages(buf, 0, order))
    assert [(t, f, s, p, pr) for _o, _l, t, f, s, p, pr in got] == [(m[0], m[1], m[2], m[3], None) for m in msgs]
    for (off, length, *_), m in zip(got, msgs, strict=True):
        walked = [(t, buf[s:e]) for t, _f, s, e, problem in iter_attrs(buf, off + 16, off + length, order)]
        assert walked == m[4]


@relaxed
@given(order_st, st.integers(-4095, 0), u16.filter(lambda t: t >= 16), u16, u32, u32, u8, st.booleans())
def test_nlmsg_error_body_in_both_byte_orders(order, errno, etype, eflags, eseq, epid, cmd, with_payload):
    echo = {"length": 20 if with_payload else 16, "type": etype, "flags": eflags, "seq": eseq, "pid": epid}
    body = _in(order, NlMsgErr).build({"error": errno, "echo": echo}) + (bytes([cmd, 1, 0, 0]) if with_payload
                                                                         else b"")
    nl = _in(order, NlMsgHdr).build({"length": 16 + len(body), "type": 2, "flags": 0, "seq": eseq, "pid": 0}) + body
    link = CookedHeader.build({"pkttype": 4, "hatype": 824, "addr_len": 0, "addr": bytes(8), "protocol": 16})
    dec = Decoder()
    (msg,) = dec.feed(Record(1, 0.0, 113, link + nl, len(link + nl), 0)) + dec.flush()
    assert msg.order == order
    e = msg.error
    assert (e.errno, e.echo_type, e.echo_flags, e.echo_seq, e.echo_pid) == (errno, etype, eflags, eseq, epid)
    assert e.echo_cmd == (cmd if with_payload else None)


@relaxed
@given(st.sampled_from([113, 253, 276]), st.data())
def test_cooked_headers_by_name(linktype, data):
    schema = CookedHeaderV2 if linktype == 276 else CookedHeader
    values = draw_values(data, schema, fixed_layout(schema))
    lf = parse_link(linktype, schema.build(values) + data.draw(st.binary(max_size=8)))
    assert (lf.pkttype, lf.hatype, lf.protocol, lf.offset) == (values["pkttype"], values["hatype"],
                                                               values["protocol"], fixed_layout(schema).size)


@relaxed
@given(st.sampled_from(sorted(F.BODY_FIELDS)), st.data())
def test_management_bodies_decode_as_their_schemas(subtype, data):
    schema = MGMT_BODIES[subtype]
    layout = fixed_layout(schema)
    values = draw_values(data, schema, layout)
    if subtype == 11:
        assume(values["algorithm"] != 3)  # SAE bodies go to the SAE layer
    rest = data.draw(st.binary(max_size=8))
    body = schema.build({**values, layout.stopped_at: rest})
    frame = decode_frame(_mgmt(subtype, body))
    assert frame.problem is None
    assert frame.numbers == values and list(frame.fields) == list(layout.names)
    cut = data.draw(st.integers(0, layout.size))
    short = decode_frame(_mgmt(subtype, body[:cut]))
    missing = next((f.name for f in layout.fields if f.offset + f.struct.size > cut), None)
    if missing is None:
        assert short.problem is None
    else:
        assert short.problem == f"body ends before {missing} ({cut} octets)"
        assert short.numbers == {f.name: values[f.name] for f in layout.fields if f.offset + f.struct.size <= cut}


@relaxed
@given(u8, u8, st.binary(max_size=6))
def test_action_body_decodes_as_its_schema(category, action, rest):
    frame = decode_frame(_mgmt(F.ACTION, ActionBody.build({"category": category, "action": action, "rest": rest})))
    parsed = ActionBody.parse(frame.body)
    assert frame.fields["category"] == named(parsed.category, enums.ACTION_CATEGORIES)
    table = F.ACTION_TABLES.get(parsed.category)
    assert frame.fields["action"] == (named(parsed.action, table) if table else parsed.action)


@relaxed
@given(st.sampled_from([16, 24, 32]), st.data())
def test_eapol_key_decodes_as_its_schema(mic_len, data):
    key = eapol_key(mic_len)
    layout = fixed_layout(key)
    values = draw_values(data, key, layout)
    key_data = data.draw(st.binary(max_size=40))
    values["key_data_length"] = len(key_data)
    body = key.build({**values, "key_data": key_data})
    frame = eapol_frame(mic_len).build({"header": {"version": values["descriptor"] & 3, "type": 3,
                                                   "length": len(body)}, "body": {**values, "key_data": key_data}})
    at = fixed_layout(key, until="mic").size
    assume(all(struct.unpack_from(">H", body, at + m)[0] != len(body) - at - m - 2
               for m in (16, 24, 32) if m < mic_len))  # a shorter MIC that also fits would be read first
    e = decode_eapol(frame)
    assert e.problem is None
    for name in ("descriptor", "key_info", "key_length", "replay_counter", "nonce", "iv", "rsc", "mic",
                 "key_data_length"):
        assert getattr(e, name) == values[name], name
    assert e.key_data == key_data and e.length == len(body)


@relaxed
@given(st.booleans(), u32, st.integers(0, 0xFFFF),
       st.lists(st.tuples(st.integers(0, 2**31), st.integers(0, 999_999), st.binary(max_size=40)), max_size=4))
def test_pcap_headers_read_as_their_schemas(big, snaplen, linktype, records):
    header, record = (CS.PcapHeaderBE, CS.PcapRecordBE) if big else (CS.PcapHeaderLE, CS.PcapRecordLE)
    raw = header.build({"magic": CS.PCAP_MAGIC_US, "version_major": 2, "version_minor": 4, "thiszone": 0,
                        "sigfigs": 0, "snaplen": snaplen, "linktype": linktype})
    for sec, usec, d in records:
        raw += record.build({"ts_sec": sec, "ts_frac": usec, "incl_len": len(d), "orig_len": len(d) + 3, "data": d})
    reader = CaptureReader(raw)
    got = list(reader)
    assert reader.damage is None and (reader.snaplen, reader.linktypes) == (snaplen, [linktype & 0xFFFF])
    assert [(r.data, r.orig_len) for r in got] == [(d, len(d) + 3) for *_, d in records]
    assert [r.timestamp for r in got] == pytest.approx([s + u * 1e-6 for s, u, _ in records])


def _pcapng_block(order: str, btype: int, body: bytes) -> bytes:
    body += bytes(-len(body) % 4)
    return _in(order, CS.PcapngBlock).build({"block_type": btype, "block_len": 12 + len(body), "body": body,
                                             "block_len2": 12 + len(body)})


@relaxed
@given(order_st, st.integers(0, 0xFFFF), st.sampled_from([6, 9]),
       st.lists(st.tuples(st.sampled_from(["epb", "opb", "spb"]), st.integers(0, 2**40), st.binary(max_size=30)),
                max_size=5))
def test_pcapng_blocks_read_as_their_schemas_in_both_byte_orders(order, linktype, tsresol, packets):
    option = _in(order, CS.PcapngOption)
    opts = option.build({"code": 9, "length": 1, "value": bytes([tsresol]), "pad": bytes(3)}) + option.build(
        {"code": 0, "length": 0, "value": b"", "pad": b""})
    raw = _pcapng_block(order, CS.PCAPNG_SHB, _in(order, CS.PcapngSHBBody).build(
        {"major": 1, "minor": 0, "section_len": 2**64 - 1}))
    raw += _pcapng_block(order, CS.PCAPNG_IDB, _in(order, CS.PcapngIDBBody).build(
        {"linktype": linktype, "reserved": 0, "snaplen": 0}) + opts)
    expected = []
    for kind, units, d in packets:
        ts = {"ts_high": units >> 32, "ts_low": units & 0xFFFFFFFF}
        common = {"cap_len": len(d), "orig_len": len(d) + 1, "data": d, "pad": bytes(-len(d) % 4)}
        if kind == "epb":
            body = _in(order, CS.PcapngEPBBody).build({"interface_id": 0, **ts, **common})
        elif kind == "opb":
            body = _in(order, CS.PcapngOPBBody).build({"interface_id": 0, "drops_count": 0, **ts, **common})
        else:
            body, units = _in(order, CS.PcapngSPBBody).build({"orig_len": len(d), "data": d}), 0
        raw += _pcapng_block(order, {"epb": CS.PCAPNG_EPB, "opb": CS.PCAPNG_OPB, "spb": CS.PCAPNG_SPB}[kind], body)
        expected.append((d, len(d) if kind == "spb" else len(d) + 1, units * 10.0 ** -tsresol))
    reader = CaptureReader(raw)
    got = list(reader)
    assert reader.damage is None and reader.linktypes == [linktype]
    assert [(r.data, r.orig_len) for r in got] == [(d, o) for d, o, _ in expected]
    assert [r.timestamp for r in got] == pytest.approx([t for *_, t in expected])


# -- differential: layouts that cannot be derived -------------------------------------------------------------------

def radiotap_values(parsed: Container) -> dict[str, Any]:
    """What parse_radiotap reports, read from the Radiotap schema's parse."""
    out: dict[str, Any] = {}
    for _bit, (name, _align, _schema) in FIELD_SCHEMAS.items():
        v = parsed[name]
        if v is not None:
            out[name] = tuple(flat(v).values()) if isinstance(v, Container) else v
    return out


def fast_radiotap(data: bytes) -> tuple[dict[str, Any], int]:
    fields, length = parse_radiotap(data)
    return {k: v for k, v in fields.items() if k not in ("flag_names", "freq")}, length


known_bits_st = st.sets(st.sampled_from(sorted(FIELD_SCHEMAS)), max_size=10)


@relaxed
@given(known_bits_st, st.lists(st.integers(0, 0x7FFFFFFF), max_size=2), st.data())
def test_radiotap_fields_built_with_the_schema(bits, extra_words, data):
    present = sum(1 << b for b in bits) | (PRESENT_EXT if extra_words else 0)
    words = [w | PRESENT_EXT for w in extra_words[:-1]] + extra_words[-1:]
    values: dict[str, Any] = {}
    for bit in sorted(bits):
        name, _align, schema = FIELD_SCHEMAS[bit]
        layout = fixed_layout(Struct(name / schema))
        drawn = draw_values(data, Struct(name / schema), layout)
        values[name] = nested(drawn)[name]
    build = {"version": 0, "pad": 0, "present": present, "more_present": words or None,
             **{name: values.get(name) for name, _a, _s in FIELD_SCHEMAS.values()}}
    size = len(Radiotap.build({**build, "length": 0}))
    raw = Radiotap.build({**build, "length": size}) + b"frame"
    fields, length = fast_radiotap(raw)
    assert length == size
    assert fields == radiotap_values(Radiotap.parse(raw))


@relaxed
@given(st.integers(0, 0x0FFFFFFF), st.binary(min_size=0, max_size=80))
def test_radiotap_random_bytes_parse_alike(present, tail):
    raw = RadiotapHeader.build({"version": 0, "pad": 0, "length": 8 + len(tail), "present": present}) + tail
    try:
        expected = radiotap_values(Radiotap.parse(raw))
    except StreamError:
        expected = None  # the schema runs out of bytes: the fast path must say it stopped early
    fields, _ = fast_radiotap(raw)
    if expected is None:
        assert "truncated_at" in fields
    else:
        assert fields == expected


@relaxed
@given(st.integers(0, 3), st.binary(min_size=4, max_size=4), st.binary(min_size=4, max_size=4),
       st.lists(st.binary(min_size=4, max_size=4), max_size=3), st.lists(st.binary(min_size=4, max_size=4),
                                                                          min_size=1, max_size=3),
       u16, st.lists(st.binary(min_size=16, max_size=16), max_size=2), st.binary(min_size=4, max_size=4))
def test_rsn_element_decodes_as_its_schema(version, group, _unused, pairwise, akms, caps, pmkids, group_mgmt):
    body = RsnBody.build({"version": version, "group_cipher": group,
                          "pairwise": {"count": len(pairwise), "suites": pairwise},
                          "akms": {"count": len(akms), "suites": akms}, "capabilities": caps,
                          "pmkids": {"count": len(pmkids), "ids": pmkids}, "group_mgmt_cipher": group_mgmt})
    (rsn,), problem = decode_elements(Element.build({"id": 48, "data": body}))
    assert problem is None and rsn.problem is None
    _check_rsn(rsn, RsnBody.parse(body))


def _check_rsn(rsn, parsed) -> None:
    def text(b: bytes, akm: bool = False) -> str:
        return suite_text(int.from_bytes(b, "big"), enums.AKM_SUITES if akm else enums.CIPHER_SUITES)[0]

    f = rsn.fields
    assert f["version"] == parsed.version and f["group_cipher"] == text(parsed.group_cipher)
    assert f["pairwise_ciphers"] == [text(s) for s in parsed.pairwise.suites]
    assert f["akms"] == [text(s, akm=True) for s in parsed.akms.suites]
    assert f["capabilities"] == f"{parsed.capabilities:#06x}"
    assert f["pmkids"] == [p.hex() for p in parsed.pmkids.ids]
    assert f["group_mgmt_cipher"] == text(parsed.group_mgmt_cipher)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=120))
def test_element_walk_of_random_bytes(raw):
    elements, problem = decode_elements(raw)
    try:
        parsed = Element[len(elements)].parse(raw)
    except StreamError:
        assert problem is not None
        return
    got = [(e.eid, e.data if e.ext is None else bytes([e.ext]) + e.data) for e in elements]
    assert got == [(p.id, p.data) for p in parsed]


# -- differential on the shipped captures ----------------------------------------------------------------------------

SAMPLE = sorted({*CAPTURES.glob("brcmfmac-external-auth/*.pcap"), CAPTURES / "iwd-sae-ok" / "iwmon.pcap",
                 CAPTURES / "iwd-sae-ok" / "nlmon.pcap", CAPTURES / "wpas-sae-anticlog" / "nlmon.pcap",
                 CAPTURES / "wpas-sae-pmksa-stale" / "iwmon.pcap", CAPTURES / "wpas-fmac-ok" / "nlmon.pcap"})
AIR = sorted({*CAPTURES.glob("*/air.pcap"), *CAPTURES.glob("brcmfmac-external-auth/*.air.pcap")})


@cache
def _records(path) -> tuple[bytes, list[Record]]:
    raw = path.read_bytes()
    return raw, list(CaptureReader(raw))


@pytest.mark.parametrize("path", SAMPLE + AIR[:3], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pcap_records_of_shipped_captures(path):
    raw, records = _records(path)
    header = CS.PcapHeaderLE.parse(raw)
    assert header.linktype == records[0].linktype if records else True
    off = fixed_layout(CS.PcapHeaderLE).size
    for rec in records:
        parsed = CS.PcapRecordLE.parse(raw[off:])
        assert (parsed.data, parsed.orig_len, rec.offset) == (rec.data, rec.orig_len, off)
        assert rec.timestamp == pytest.approx(parsed.ts_sec + parsed.ts_frac * 1e-6)
        off += fixed_layout(CS.PcapRecordLE, until="data").size + parsed.incl_len
    assert off == len(raw)


@pytest.mark.parametrize("path", [p for p in SAMPLE if not p.name.endswith(".air.pcap")],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_netlink_layers_of_shipped_captures(path):
    _raw, records = _records(path)
    genl = fixed_layout(GenlMsgHdr).size
    for rec in records:
        head = CookedHeader.parse(rec.data)
        lf = parse_link(rec.linktype, rec.data)
        assert (lf.pkttype, lf.hatype, lf.protocol) == (head.pkttype, head.hatype, head.protocol)
        if lf.kind != "generic":
            continue
        pos = lf.offset
        for off, length, mtype, flags, seq, pid, problem in split_messages(rec.data, lf.offset):
            assert problem is None and off == pos
            h = NlMsgHdr.parse(rec.data[off:])
            assert (h.length, h.type, h.flags, h.seq, h.pid) == (length, mtype, flags, seq, pid)
            pos += (length + 3) & ~3
            if mtype == 2:
                err = NlMsgErr.parse(rec.data[off + 16:])
                assert err.echo.length >= 16
            elif mtype >= 16:
                walked = [(t | f, rec.data[s:e]) for t, f, s, e, p in
                          iter_attrs(rec.data, off + 16 + genl, off + length) if p is None]
                schema_walk = []
                at = off + 16 + genl
                while at + 4 <= off + length:
                    a = NlAttrHdr.parse(rec.data[at:])
                    if a.length < 4 or at + a.length > off + length:
                        break
                    schema_walk.append((a.type, rec.data[at + 4:at + a.length]))
                    at += (a.length + 3) & ~3
                assert walked == schema_walk


def _frames_of(path):
    import nl80211dec

    for msg in nl80211dec.open(path, memo=False):
        if msg.eapol is not None:
            yield "eapol", msg.raw, msg.eapol
        for attr in msg.walk():
            if attr.decoded is not None and attr.raw:
                yield type(attr.decoded).__name__, attr.raw, attr.decoded


@pytest.mark.parametrize("path", [p for p in SAMPLE if not p.name.endswith(".air.pcap")],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_frames_eapol_and_elements_of_shipped_captures(path):
    seen: dict[str, int] = {}
    for kind, raw, decoded in _frames_of(path):
        seen[kind] = seen.get(kind, 0) + 1
        if kind == "Frame" and decoded.ftype == 0 and not decoded.problem:
            _check_frame(raw, decoded)
        elif kind in ("eapol", "Eapol") and decoded.descriptor is not None and not decoded.problem:
            _check_eapol(raw, decoded)
        elif kind == "ElementList" and decoded.problem is None:
            assert [(p.id, p.data) for p in Element[len(decoded.elements)].parse(raw)] == [
                (e.eid, e.data if e.ext is None else bytes([e.ext]) + e.data) for e in decoded.elements]
            for e in decoded.elements:
                if e.name == "RSN" and e.problem is None and "group_mgmt_cipher" in e.fields:
                    _check_rsn(e, RsnBody.parse(e.data))
    assert seen, "the capture decoded no 802.11 payloads"


def _check_frame(raw: bytes, frame) -> None:
    parsed = MgmtFrame.parse(raw)
    h = parsed.header
    assert (frame.fc, frame.duration, frame.seq) == (h.frame_control, h.duration, h.seq_ctrl >> 4)
    assert [m for _r, m in frame.addrs] == [format_mac(a) for a in (h.addr1, h.addr2, h.addr3)]
    if frame.subtype in F.BODY_FIELDS and "protected_body" not in frame.fields:
        body = flat(parsed.body)
        assert frame.numbers == {k: v for k, v in body.items() if k in frame.numbers}
        assert list(frame.numbers) == list(fixed_layout(MGMT_BODIES[frame.subtype]).names)


def _check_eapol(raw: bytes, e) -> None:
    parsed = eapol_frame(len(e.mic)).parse(raw)
    assert (parsed.header.version, parsed.header.type, parsed.header.length) == (e.version, e.type, e.length)
    key = parsed.body
    for name in ("descriptor", "key_info", "key_length", "replay_counter", "nonce", "iv", "rsc", "mic",
                 "key_data_length", "key_data"):
        assert getattr(e, name) == key[name], name


@pytest.mark.parametrize("path", AIR, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_radiotap_and_frames_of_shipped_air_captures(path):
    _raw, records = _records(path)
    for rec in records:
        fields, length = fast_radiotap(rec.data)
        parsed = Radiotap.parse(rec.data)
        expected = radiotap_values(parsed)
        assert length == parsed.length
        if "undecoded_from_bit" in fields or "truncated_at" in fields:  # the fast path stopped: what it read agrees
            assert {k: v for k, v in fields.items() if k in expected} == {k: expected[k] for k in fields
                                                                           if k in expected}
        else:
            assert fields == expected
        body = rec.data[length:]
        if parse_radiotap(rec.data)[0].get("flags", 0) & 0x10:  # FCS at the end
            body = body[:-4]
        frame = decode_frame(body)
        if frame.ftype == 0 and not frame.problem:
            _check_frame(body, frame)

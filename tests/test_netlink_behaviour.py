"""Roles, errors, families and the capture facts of issue 3 (cleared, duplicated)."""

from __future__ import annotations

import struct

import nl80211dec
from nl80211dec.netlink.genl import parse_family_option
from nl80211dec.nl80211 import enums
from nl80211dec.testing.writers import genl_message, nl_message, nlattr, nlattrs, pcap_bytes, sll_record

from .golden_util import decoded

CMD = {v: k for k, v in enums.COMMANDS.items()}
ATTR = {v: k for k, v in enums.ATTRS.items()}
NL80211 = 0x1C


def u32(v):
    return struct.pack("<I", v)


def _newfamily(fid=NL80211, seq=7):
    attrs = nlattrs([(1, struct.pack("<H", fid)), (2, b"nl80211\0")])
    return genl_message(0x10, 1, attrs, seq=seq, pid=99)


def _cap(*msgs, t0=100.0):
    return pcap_bytes([(t0 + i * 0.01, sll_record(m)) for i, m in enumerate(msgs)])


def _connect(seq):
    return genl_message(NL80211, CMD["CONNECT"], nlattrs([(ATTR["IFINDEX"], u32(3)),
                                                           (ATTR["SSID"], b"deskSAE"),
                                                           (ATTR["AUTH_TYPE"], u32(4))]), flags=5, seq=seq)


def _error(err, req, *, ext_msg=None):
    flags = 0x100 | (0x200 if ext_msg else 0)
    body = struct.pack("<i", err) + req[:16]
    if ext_msg:
        body += nlattr(1, ext_msg.encode() + b"\0")
    return nl_message(2, body, flags=flags, seq=struct.unpack_from("<I", req, 8)[0])


def test_request_ack_error_and_event_roles_with_names():
    req = _connect(41)
    ev = genl_message(NL80211, CMD["EXTERNAL_AUTH"], nlattrs([(ATTR["IFINDEX"], u32(3))]))
    msgs = nl80211dec.open(_cap(_newfamily(), req, _error(-52, req, ext_msg="bad length"), ev)).to_list()
    assert [m.role for m in msgs] == ["reply", "request", "error", "event"]
    assert msgs[1].cmd_name == "CONNECT" and msgs[1].family_source == "nlctrl"
    err = msgs[2]
    assert err.error.errno == -52 and err.error.errno_name == "EBADE"
    assert err.error.ext_msg == "bad length"
    assert err.cmd_name == "CONNECT" and err.reply_to == msgs[1].index == 2  # numbered from 1, as tshark does
    assert msgs[1]["SSID"].value == "deskSAE"
    assert msgs[1]["AUTH_TYPE"].text == "SAE (4)"


def test_family_option_and_no_silent_guessing():
    req = _connect(1)
    # no NEWFAMILY and a single message: not enough evidence -> not nl80211
    msgs = nl80211dec.open(_cap(req)).to_list()
    assert msgs[0].family is None and msgs[0].cmd_name == f"CMD_{CMD['CONNECT']}"
    # the user names it
    msgs = nl80211dec.open(_cap(req), families={"nl80211": NL80211}).to_list()
    assert msgs[0].family == "nl80211" and msgs[0].family_source == "option"


def test_assumed_family_is_marked_and_reported():
    msgs_in = [_connect(i) for i in range(1, 6)]
    cap = nl80211dec.open(_cap(*msgs_in))
    msgs = cap.to_list()
    assert all(m.family == "nl80211" and m.family_source == "assumed" for m in msgs)
    assert any("assumed" in n for n in cap.summary.notes)
    # ...but never when told not to
    msgs = nl80211dec.open(_cap(*msgs_in), assume=False).to_list()
    assert all(m.family is None for m in msgs)


def test_another_family_is_not_taken_for_nl80211():
    # attribute 3 with 2 bytes contradicts nl80211's u32 IFINDEX
    other = [genl_message(0x21, 1, nlattrs([(3, b"\x01\x02")]), seq=i, flags=5) for i in range(1, 8)]
    cap = nl80211dec.open(_cap(*other))
    assert all(m.family is None for m in cap)
    assert any("does not look like nl80211" in n for n in cap.summary.notes)


def test_parse_family_option():
    assert parse_family_option("nl80211=0x1c") == ("nl80211", 0x1C)
    assert parse_family_option("nl80211=28") == ("nl80211", 28)
    for bad in ("nl80211", "=3", "nl80211=zz", "nl80211=0"):
        try:
            parse_family_option(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_real_capture_facts_cleared_and_duplicates():
    msgs = decoded("iwd-sae-ok", "iwmon.pcap")
    cleared = [m for m in msgs if any("cleared by the kernel" in n for n in m.notes)]
    assert cleared and all(m.role == "request" and m.attrs == [] for m in cleared)
    dups = [m for m in msgs if m.duplicate_of is not None]
    assert dups
    by_index = {m.index: m for m in msgs}
    for m in dups:
        orig = by_index[m.duplicate_of]
        assert orig.raw == m.raw and orig.role == "event"
    # nlmon has the real key content where iwmon lost it
    nlmon = decoded("iwd-sae-ok", "nlmon.pcap")
    assert not any("cleared" in n for m in nlmon for n in m.notes)
    assert any(m.cmd_name == "NEW_KEY" and m.role == "request" and m.attrs for m in nlmon)


def test_nlmon_records_hold_several_messages():
    msgs = decoded("iwd-sae-ok", "nlmon.pcap")
    per_record = {}
    for m in msgs:
        per_record[m.record] = per_record.get(m.record, 0) + 1
    assert max(per_record.values()) > 1
    assert all(m.role in ("request", "reply", "ack", "error", "event", "done") for m in msgs)


def test_rtnetlink_link_state_is_decoded():
    links = [m for m in decoded("iwd-sae-ok", "iwmon.pcap") if m.cmd_name == "NEWLINK" and m.get("IFNAME")]
    names = {m["IFNAME"].value for m in links}
    assert {"wlan0", "wlan1"} <= names
    assert any(m.get("OPERSTATE") and m["OPERSTATE"].text.startswith("UP") for m in links)


def test_values_rendered_as_users_read_them():
    msgs = decoded("iwd-sae-ok", "nlmon.pcap")
    auth = next(m for m in msgs if m.cmd_name == "AUTHENTICATE" and m.role == "request")
    assert auth["WIPHY_FREQ"].text == "2412 MHz (channel 1)"
    assert auth["MAC"].value == "02:00:00:00:00:00"
    assert auth["AUTH_TYPE"].text == "SAE (4)"
    conn = next(m for m in msgs if m.cmd_name == "ASSOCIATE" and m.role == "request")
    assert "00-0f-ac:8 (SAE)" in conn["AKM_SUITES"].text
    assert conn["CIPHER_SUITE_GROUP"].text == "00-0f-ac:4 (CCMP)"
    dis = next(m for m in msgs if m.get("REASON_CODE"))
    assert "(" in dis["REASON_CODE"].text


def test_byte_swapped_akm_is_recognised():
    ev = genl_message(NL80211, CMD["EXTERNAL_AUTH"], nlattrs([(ATTR["AKM_SUITES"], bytes([0x00, 0x0F, 0xAC, 0x08]))]))
    msg = nl80211dec.open(_cap(ev), families={"nl80211": NL80211}).to_list()[0]
    akm = msg["AKM_SUITES"]
    assert akm.text == "00-0f-ac:8 (SAE)" and "byte-swapped" in akm.note


def test_real_capture_without_newfamily_is_assumed_consistently():
    """iwmon started after the daemons: no NEWFAMILY. The guess must be right and marked."""
    from nl80211dec.capture import CaptureReader

    from .golden_util import CAPTURES

    src = (CAPTURES / "iwd-sae-ok" / "iwmon.pcap").read_bytes()
    kept = [(r.timestamp, r.data) for r in CaptureReader(src)
            if not (r.data[14:16] == b"\x00\x10" and r.data[20:22] == b"\x10\x00")]
    cap = nl80211dec.open(pcap_bytes(kept))
    msgs = cap.to_list()
    nl = [m for m in msgs if m.family_id == 0x20]
    assert nl and all(m.family == "nl80211" and m.family_source == "assumed" for m in nl)
    assert cap.summary.families["0x20"]["source"] == "assumed"
    original = {(m.timestamp, m.cmd_name, m.role) for m in decoded("iwd-sae-ok", "iwmon.pcap") if m.family_id == 0x20}
    assert {(m.timestamp, m.cmd_name, m.role) for m in nl} == original

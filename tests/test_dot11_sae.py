"""802.11 frames, elements, EAPoL and SAE: schemas round-trip, decoders agree, bad bytes are flagged."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nl80211dec.dot11.eapol import decode_eapol
from nl80211dec.dot11.elements import decode_elements
from nl80211dec.dot11.frames import decode_frame
from nl80211dec.dot11.schemas import Element, MgmtFrame, MgmtHeader, RsnBody, eapol_frame
from nl80211dec.errors import DecodeError
from nl80211dec.sae import schemas as SS
from nl80211dec.sae.body import SaeAuthDecoder, decode_sae
from nl80211dec.sae.context import SaeContext
from nl80211dec.sae.groups import GROUPS, on_curve, scalar_mult

STA, AP = bytes.fromhex("020000000100"), bytes.fromhex("020000000000")


def _mgmt(subtype, body, a1=AP, a2=STA, a3=AP):
    return MgmtFrame.build({"header": {"frame_control": subtype << 4, "duration": 0, "addr1": a1, "addr2": a2,
                                       "addr3": a3, "seq_ctrl": 16}, "body": body})


# -- groups -----------------------------------------------------------------

@pytest.mark.parametrize("number", [n for n, g in GROUPS.items() if g.curve])
def test_curve_constants_are_right(number):
    c = GROUPS[number].curve
    assert on_curve(c, c.gx, c.gy)
    assert scalar_mult(c, c.n, (c.gx, c.gy)) is None  # n·G = point at infinity
    assert c.p.bit_length() <= 8 * GROUPS[number].prime_len


def test_modp_prime_is_prime():
    p = GROUPS[14].prime
    assert p.bit_length() == 2048 and all(pow(b, p - 1, p) == 1 for b in (2, 3, 5, 7, 11))


# -- SAE bodies ---------------------------------------------------------------

group_st = st.sampled_from(sorted(GROUPS))


@st.composite
def commit_st(draw):
    number = draw(group_st)
    g = GROUPS[number]
    token = draw(st.one_of(st.just(b""), st.binary(min_size=1, max_size=48)))
    return number, token, draw(st.binary(min_size=g.order_len, max_size=g.order_len)), \
        draw(st.binary(min_size=g.element_len, max_size=g.element_len))


@given(commit_st(), st.booleans())
def test_commit_round_trip_every_group(commit, with_pwid):
    number, token, scalar, element = commit
    elements = [{"length": 5, "ext_id": 33, "data": b"home"}] if with_pwid else []
    data = SS.commit(number, len(token)).build({"token": token, "scalar": scalar, "element": element,
                                                "elements": elements})
    ctx = SaeContext()
    if token:
        ctx.token = token  # the AP handed it out with status 76 earlier
    body = decode_sae(1, 0, data, ctx)
    assert (body.group, body.scalar, body.element) == (number, scalar, element)
    assert body.token == (token or None)
    assert body.password_id == ("home" if with_pwid else None)
    assert body.problem is None


@given(commit_st())
def test_h2e_commit_carries_token_and_rejected_groups_in_containers(commit):
    number, token, scalar, element = commit
    elements = [{"length": 5, "ext_id": 92, "data": b"\x14\x00\x15\x00"}]
    if token:
        elements.append({"length": len(token) + 1, "ext_id": 93, "data": token})
    data = SS.commit(number).build({"token": b"", "scalar": scalar, "element": element, "elements": elements})
    body = decode_sae(1, 126, data, SaeContext())
    assert body.rejected_groups == [20, 21] and body.token == (token or None) and body.scalar == scalar


@given(group_st, st.booleans(), st.integers(0, 0xFFFF))
def test_confirm_length_follows_the_exchange(number, h2e, send_confirm):
    g = GROUPS[number]
    ctx = SaeContext()
    ctx.group, ctx.h2e = number, h2e
    confirm = bytes(range(g.hash_len(h2e)))
    body = decode_sae(2, 0, SS.SaeConfirm.build({"send_confirm": send_confirm, "confirm": confirm}), ctx)
    assert (body.send_confirm, body.confirm, body.findings) == (send_confirm, confirm, [])
    short = decode_sae(2, 0, SS.SaeConfirm.build({"send_confirm": 1, "confirm": confirm[:-1]}), ctx)
    assert short.findings and "expects" in short.findings[0]


@given(group_st, st.binary(min_size=1, max_size=64))
def test_rejections(number, token):
    anti = decode_sae(1, 76, SS.SaeAntiCloggingRequest.build({"group": number, "token": token}))
    assert (anti.message, anti.group, anti.token) == ("reject", number, token)
    unsup = decode_sae(1, 77, SS.SaeUnsupportedGroup.build({"group": number}))
    assert (unsup.message, unsup.group) == ("reject", number)
    other = decode_sae(2, 1, b"")
    assert other.message == "reject" and other.status_name == "UNSPECIFIED_FAILURE"


def test_sanity_checks_find_bad_scalar_and_off_curve_element():
    g = GROUPS[19]
    c = g.curve
    good = c.gx.to_bytes(32, "big") + c.gy.to_bytes(32, "big")
    ok = decode_sae(1, 0, SS.commit(19).build({"token": b"", "scalar": (5).to_bytes(32, "big"), "element": good,
                                               "elements": []}))
    assert ok.findings == []
    bad = decode_sae(1, 0, SS.commit(19).build({"token": b"", "scalar": (1).to_bytes(32, "big"),
                                                "element": good[:-1] + bytes([good[-1] ^ 1]), "elements": []}))
    assert any("scalar out of range" in f for f in bad.findings)
    assert any("not a point on the curve" in f for f in bad.findings)
    ffc = decode_sae(1, 0, SS.commit(14).build({"token": b"", "scalar": (7).to_bytes(256, "big"),
                                                "element": b"\xff" * 256, "elements": []}))
    assert any("FFC element out of range" in f for f in ffc.findings)


def test_sizes_that_disagree_with_the_group_are_flagged():
    short = decode_sae(1, 0, (19).to_bytes(2, "little") + bytes(50))
    assert short.problem and "too short" in short.problem
    unknown = decode_sae(1, 0, (99).to_bytes(2, "little") + bytes(10))
    assert any("not a known SAE group" in f for f in unknown.findings)
    body_on_reject = decode_sae(1, 1, b"\x13\x00")
    assert body_on_reject.message == "reject" and body_on_reject.findings


@settings(max_examples=300)
@given(st.integers(0, 3), st.integers(0, 130), st.binary(max_size=300))
def test_random_sae_bodies_never_raise(seq, status, data):
    body = decode_sae(seq, status, data, SaeContext())
    body.as_dict()
    body.text_lines("")


def test_sae_transaction_out_of_range_is_a_decode_error():
    with pytest.raises(DecodeError):
        decode_sae(1 << 20, 0, b"")


# -- frames ---------------------------------------------------------------------

def test_sae_frame_in_both_directions_shares_the_exchange_context():
    tracker = SaeAuthDecoder()  # one decoder: one context per exchange
    token = b"T" * 32
    g = GROUPS[19]
    anti = _mgmt(11, {"algorithm": 3, "transaction": 1, "status": 76,
                      "rest": SS.SaeAntiCloggingRequest.build({"group": 19, "token": token})}, a1=STA, a2=AP)
    assert decode_frame(anti, tracker).sae.token == token
    commit = SS.commit(19, 32).build({"token": token, "scalar": b"\x01" * g.order_len,
                                      "element": b"\x02" * g.element_len, "elements": []})
    f = decode_frame(_mgmt(11, {"algorithm": 3, "transaction": 1, "status": 0, "rest": commit}), tracker)
    assert f.sae.token == token and f.sae.scalar == b"\x01" * 32
    assert f.addr("SA") == "02:00:00:00:01:00" and f.subtype_name == "AUTH" and f.seq == 1


@given(st.sampled_from([0, 1, 2, 3, 4, 5, 8, 10, 11, 12, 13]), st.binary(max_size=80))
def test_management_frames_round_trip_header(subtype, body):
    raw = MgmtHeader.build({"frame_control": subtype << 4, "duration": 7, "addr1": AP, "addr2": STA,
                            "addr3": AP, "seq_ctrl": 0x123}) + body
    f = decode_frame(raw)
    assert (f.duration, f.seq, f.frag) == (7, 0x12, 3)
    assert f.addr("DA") == "02:00:00:00:00:00"
    f.as_dict()
    f.text_lines("")


def test_deauth_reason_and_assoc_response_status_are_named():
    deauth = decode_frame(_mgmt(12, {"reason": 3, "elements": b""}))
    assert deauth.fields["reason"] == "DEAUTH_LEAVING (3)"
    resp = decode_frame(_mgmt(1, {"capability": 0x411, "status": 53, "aid": 0xC001, "elements": b""}))
    assert resp.fields["status"] == "INVALID_PMKID (53)" and resp.fields["aid"] == 1


@settings(max_examples=300)
@given(st.binary(max_size=200))
def test_random_frames_never_raise(raw):
    f = decode_frame(raw, SaeAuthDecoder())
    f.as_dict()
    f.text_lines("")


# -- elements -------------------------------------------------------------------

@given(st.lists(st.tuples(st.integers(0, 254), st.binary(max_size=30)), max_size=8))
def test_elements_round_trip(items):
    raw = b"".join(Element.build({"id": i, "data": d}) for i, d in items)
    elements, problem = decode_elements(raw)
    assert problem is None
    assert [(e.eid, e.data) for e in elements] == items


def test_rsn_element_fields():
    body = RsnBody.build({"version": 1, "group_cipher": b"\x00\x0f\xac\x04",
                          "pairwise": {"count": 1, "suites": [b"\x00\x0f\xac\x04"]},
                          "akms": {"count": 1, "suites": [b"\x00\x0f\xac\x08"]}, "capabilities": 0xC0,
                          "pmkids": {"count": 1, "ids": [bytes(range(16))]},
                          "group_mgmt_cipher": b"\x00\x0f\xac\x06"})
    (rsn,), problem = decode_elements(Element.build({"id": 48, "data": body}))
    assert problem is None and rsn.name == "RSN"
    assert rsn.fields["akms"] == ["00-0f-ac:8 (SAE)"] and rsn.fields["mfp"] == "required"
    assert rsn.fields["pmkids"] == [bytes(range(16)).hex()]
    assert rsn.fields["group_mgmt_cipher"] == "00-0f-ac:6 (AES_CMAC)"
    (short,), _ = decode_elements(Element.build({"id": 48, "data": body[:9]}))
    assert short.problem and "truncated" in short.problem


def test_rsnxe_h2e_bit_and_truncated_element_list():
    (rsnx,), _ = decode_elements(bytes([244, 1, 0x20]))
    assert rsnx.fields["sae_h2e"] is True
    elements, problem = decode_elements(bytes([0, 5, 65, 66]))
    assert problem and elements[0].problem


# -- EAPoL ------------------------------------------------------------------------

@pytest.mark.parametrize("key_info,nonce,kdl,name", [
    (0x008A, b"\x01" * 32, 0, "4-way message 1"),
    (0x010A, b"\x02" * 32, 22, "4-way message 2"),
    (0x13CA, b"\x01" * 32, 56, "4-way message 3"),
    (0x030A, bytes(32), 0, "4-way message 4"),
])
def test_eapol_key_messages_named(key_info, nonce, kdl, name):
    frame = eapol_frame().build({"header": {"version": 2, "type": 3, "length": 95 + kdl},
                                 "body": {"descriptor": 2, "key_info": key_info, "key_length": 16,
                                          "replay_counter": 1, "nonce": nonce, "iv": bytes(16), "rsc": bytes(8),
                                          "reserved": bytes(8), "mic": b"\x05" * 16, "key_data_length": kdl,
                                          "key_data": b"\xdd" * kdl}})
    e = decode_eapol(frame)
    assert e.handshake == name and e.replay_counter == 1 and e.mic == b"\x05" * 16 and e.problem is None


@given(st.binary(max_size=200))
def test_random_eapol_never_raises(raw):
    decode_eapol(raw).as_dict()


@pytest.mark.parametrize("number", sorted(GROUPS))
@pytest.mark.parametrize("status", [0, 76, 77, 126])
def test_every_group_and_status_through_a_full_frame(number, status):
    """Build a whole Authentication frame per group and status; decode it back."""
    g = GROUPS[number]
    if status in (0, 126):
        rest = SS.commit(number).build({"token": b"", "scalar": b"\x01" * g.order_len,
                                        "element": b"\x02" * g.element_len, "elements": []})
    elif status == 76:
        rest = SS.SaeAntiCloggingRequest.build({"group": number, "token": b"tok"})
    else:
        rest = SS.SaeUnsupportedGroup.build({"group": number})
    raw = _mgmt(11, {"algorithm": 3, "transaction": 1, "status": status, "rest": rest})
    sae = decode_frame(raw, SaeAuthDecoder()).sae
    assert sae.group == number and sae.status == status and sae.problem is None
    if status in (0, 126):
        assert sae.scalar == b"\x01" * g.order_len and sae.element == b"\x02" * g.element_len
        confirm = _mgmt(11, {"algorithm": 3, "transaction": 2, "status": 0, "rest": SS.SaeConfirm.build(
            {"send_confirm": 1, "confirm": bytes(g.hash_len(status == 126))})})
        tracker = SaeAuthDecoder()  # one decoder: one context per exchange
        decode_frame(raw, tracker)
        c = decode_frame(confirm, tracker).sae
        assert c.message == "confirm" and c.findings == []

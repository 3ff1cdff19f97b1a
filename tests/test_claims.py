"""Every sentence of every explanation is a claim, and every claim is true of the messages it cites.

The checkers here read the decoded messages themselves (:func:`what`), not
the sequencer's notes, so a claim that cites the wrong message, a wrong
status or a count that is off fails.  They run on every attempt of every
shipped capture (lab runs, nlmon and iwmon files) and of every scenario the
builder writes.
"""

from __future__ import annotations

import functools

import pytest

import nl80211dec
from nl80211dec.netlink.message import Message
from nl80211dec.sequence import Attempt, Claim
from nl80211dec.testing.scenarios import SCENARIOS, build

from .golden_util import CAPTURES

LAB = sorted(p.parent.name for p in CAPTURES.glob("*/truth.json"))
SOURCES = [("lab", f"{s}/{f}") for s in LAB for f in ("nlmon.pcap", "iwmon.pcap")] + \
    [("scenario", s) for s in sorted(SCENARIOS)]


@functools.lru_cache(maxsize=4)
def decode(kind: str, name: str) -> tuple[dict[int, Message], list[Attempt]]:
    src = CAPTURES / name if kind == "lab" else build(name)
    cap = nl80211dec.open(src, memo=False)
    msgs = {m.index: m for m in cap}
    return msgs, cap.attempts()


# -- reading a message without the sequencer ------------------------------------------

def what(m: Message) -> dict:
    """What one message is, in the claim vocabulary: word, sender, status, SAE transaction, EAPoL number."""
    out: dict = {"cmd": m.cmd_name, "role": m.role}
    for attr in (m.get("FRAME"), m.get("AUTH_DATA")):
        d = attr.decoded if attr is not None else None
        if d is None:
            continue
        if hasattr(d, "handshake"):
            out["eapol"] = d.handshake
        sae = getattr(d, "sae", None) if hasattr(d, "subtype_name") else d
        if hasattr(d, "subtype_name"):
            out["frame"] = d.subtype_name
            out["status"] = d.numbers.get("status")
            out["reason"] = d.numbers.get("reason")
        if sae is not None and hasattr(sae, "seq"):
            out["sae_seq"], out["status"] = sae.seq, sae.status
    if m.eapol is not None:
        out["eapol"] = m.eapol.handshake
    if m.error is not None:
        out["errno"] = m.error.errno
    for name in ("STATUS_CODE", "REASON_CODE", "EXTERNAL_AUTH_ACTION"):
        if name in m:
            out[name.lower()] = m.value(name)
    return out


def sender_of(m: Message, a: Attempt) -> str:
    """'STA' or 'AP' for a frame-carrying message, from the addresses in the frame (or the request's direction)."""
    f = m.get("FRAME")
    frame = f.decoded if f is not None else None
    if frame is not None and hasattr(frame, "addr"):
        return "AP" if frame.addr("SA") == a.ap else "STA"
    return "STA" if m.role == "request" else "AP"


def is_word(m: Message, word: str, a: Attempt) -> bool:
    w = what(m)
    sae_seq, status = w.get("sae_seq"), w.get("status")
    sender = sender_of(m, a) if ("sae_seq" in w or "frame" in w) else None
    if w["cmd"] == "FRAME_TX_STATUS" or m.duplicate_of is not None:
        return False
    checks = {
        "STA_COMMIT": sender == "STA" and sae_seq == 1 and status in (0, 126, 127),
        "AP_COMMIT": sender == "AP" and sae_seq == 1 and status in (0, 126, 127),
        "STA_CONFIRM": sender == "STA" and sae_seq == 2 and status == 0,
        "AP_CONFIRM": sender == "AP" and sae_seq == 2 and status == 0,
        "AP_REJECT": sender == "AP" and sae_seq is not None and status not in (None, 0, 126, 127)
        if sae_seq == 1 else sender == "AP" and sae_seq == 2 and status not in (None, 0),
        "EXT_AUTH_START": w["cmd"] == "EXTERNAL_AUTH" and w["role"] == "event",
        "EXT_AUTH_REPORT": w["cmd"] == "EXTERNAL_AUTH" and w["role"] == "request",
        "CONNECT_RESULT": w["cmd"] == "CONNECT" and w["role"] == "event",
        "CONNECT_REQ": w["cmd"] == "CONNECT" and w["role"] == "request",
        "EAPOL": str(w.get("eapol", "")).startswith("4-way"),
        "SCAN": w["cmd"] in ("NEW_SCAN_RESULTS", "TRIGGER_SCAN"),
        "ASSOC_REQ": w.get("frame") in ("ASSOC_REQ", "REASSOC_REQ") or (w["cmd"] == "ASSOCIATE"
                                                                         and w["role"] == "request"),
    }
    return bool(checks.get(word, False))


def stage_proven(m: Message, stage: str, a: Attempt) -> bool:
    w = what(m)
    if stage == "authorized":
        return w["cmd"] in ("PORT_AUTHORIZED", "SET_STATION")
    if stage.startswith("4way-"):
        return w.get("eapol") == f"4-way message {stage[-1]}"
    if stage == "associated":
        return (w.get("frame") in ("ASSOC_RESP", "REASSOC_RESP") or w["cmd"] == "CONNECT") and w.get("status", 0) \
            in (0, None) and w.get("status_code", 0) == 0
    if stage == "confirmed":
        return is_word(m, "AP_CONFIRM", a) or is_word(m, "ASSOC_REQ", a) or (
            w.get("frame") == "AUTH" and "sae_seq" not in w and w.get("status") == 0)
    if stage == "confirm":
        return is_word(m, "STA_CONFIRM", a) or (is_word(m, "AP_REJECT", a) and w.get("sae_seq") == 2)
    if stage == "commit-exchanged":
        return is_word(m, "AP_COMMIT", a)
    if stage == "commit":
        return is_word(m, "STA_COMMIT", a) or (is_word(m, "AP_REJECT", a) and w.get("sae_seq") == 1)
    if stage == "connect":
        return w["cmd"] in ("CONNECT", "EXTERNAL_AUTH", "AUTHENTICATE")
    if stage == "scan":
        return w["cmd"] == "NEW_SCAN_RESULTS"
    return False


def in_attempt(m: Message, a: Attempt) -> bool:
    """Does the message concern this attempt's interface (station side) or its station (AP side)?"""
    ifindex = m.value("IFINDEX")
    if ifindex is None:
        return a.mode != "ap"  # PAE EAPoL records carry no interface
    if ifindex != a.ifindex:
        return False
    if a.mode == "ap":
        f = m.get("FRAME")
        frame = f.decoded if f is not None else None
        return frame is None or not hasattr(frame, "addr") or a.station in (frame.addr("SA"), frame.addr("DA"))
    return True


# -- one checker per claim kind --------------------------------------------------------

def check(c: Claim, a: Attempt, msgs: dict[int, Message], attempts: list[Attempt]) -> None:
    kind = c.kind.split(":")[0]
    for r in c.refs:
        assert r in msgs, f"claim cites message {r}, which does not exist"
    f = c.facts
    ref = msgs[c.refs[0]] if c.refs else None
    if kind == "stage":
        assert ref is not None and stage_proven(ref, f["stage"], a), (f, what(ref) if ref else None)
    elif kind == "ending":
        _check_ending(c, a, msgs, attempts, ref)
    elif kind == "count":
        if f["word"] in ("SCAN", "commits"):
            assert c.refs
            return
        assert len(c.refs) == f["n"] and f["n"] > 0
        for r in c.refs:
            m = msgs[r]
            assert is_word(m, f["word"], a) or (f["word"] == "AP_REJECT" and is_word(m, "AP_REJECT", a)), \
                (r, f["word"], what(m))
    elif kind == "absent":
        start, end = c.refs[0], c.refs[-1]
        word = f["word"]
        for i in range(start, end + 1):
            m = msgs.get(i)
            if m is None or not in_attempt(m, a):
                continue
            if word == "EAPOL-2":
                assert what(m).get("eapol") != "4-way message 2", i
            elif word == "EAPOL":
                assert what(m).get("eapol") != "4-way message 1", i
            elif word == "CONNECT_RESULT":
                assert not is_word(m, word, a), i
            else:
                assert not is_word(m, word, a), (i, word, what(m))
        if word == "CONNECT_RESULT":  # "no CONNECT event followed": to the end of the capture
            later = [m for i, m in msgs.items() if i > end and in_attempt(m, a) and is_word(m, word, a)
                     and m.timestamp < (msgs[end].timestamp + 5 if a.closed_by == "a new attempt started" else 1e18)]
            assert not later or a.closed_by == "a new attempt started", [m.index for m in later]
    elif kind == "tx-status":
        for r in c.refs:
            m = msgs[r]
            statuses = [x for x in msgs.values() if x.cmd_name == "FRAME_TX_STATUS" and x.index > r
                        and x.index <= r + 20 and x.get("FRAME") is not None and m.get("FRAME") is not None
                        and x["FRAME"].raw == m["FRAME"].raw]
            if statuses:
                assert (statuses[0].get("ACK") is not None) == f["acked"], r
    elif kind == "advertised":
        assert ref is not None and ref.cmd_name == "NEW_SCAN_RESULTS"
        el = ref["BSS"].get("INFORMATION_ELEMENTS") or ref["BSS"].get("BEACON_IES")
        elements = el.decoded
        rates = [r for e in elements.elements if e.name in ("SUPP_RATES", "EXT_SUPP_RATES") for r in e.data]
        rsn, rsnx = elements.find("RSN"), elements.find("RSNX")
        actual = {"h2e_only": 0xFB in rates, "h2e": bool(rsnx and rsnx.fields.get("sae_h2e")),
                  "mfp_required": bool(rsn and rsn.fields.get("mfp") == "required")}[f["property"]]
        assert actual == f["value"], f
    elif kind == "offered":
        m = ref
        assert m is not None
        found = {m["PMKID"].raw.hex()} if "PMKID" in m else set()
        for name in ("IE",):
            ie = m.get(name)
            rsn = ie.decoded.find("RSN") if ie is not None and ie.decoded is not None else None
            found |= set(rsn.fields.get("pmkids", [])) if rsn is not None else set()
        f2 = m.get("FRAME")
        if f2 is not None and f2.decoded is not None and getattr(f2.decoded, "elements", None) is not None:
            rsn = f2.decoded.elements.find("RSN")
            found |= set(rsn.fields.get("pmkids", [])) if rsn is not None else set()
        assert f["pmkid"] in found, (f, found)
    elif kind == "cleared":
        assert ref is not None and ref.cmd_name == "UNSPEC" and ref.role == "request"
    elif kind == "answer":
        assert ref is not None and ref.role in ("ack", "error") and ref.cmd_name == f["cmd"]
        assert ref.error is not None and ref.error.errno == f["errno"]
    elif kind == "eapol":
        got = sorted({what(msgs[r]).get("eapol", "")[-1] for r in c.refs})
        assert got == f["messages"], (got, f)
    elif kind == "akm":
        assert ref is not None and ref.cmd_name == "EXTERNAL_AUTH" and ref["AKM_SUITES"].raw.hex() == f["bytes"]
    elif kind == "mode":
        assert ref is not None and ref.cmd_name == "CONNECT" and ("SAE_PASSWORD" in ref) == f["sae_password"]
    elif kind == "meaning":
        cited = {r for other in a.claims if other.kind != "meaning" for r in other.refs}
        assert set(c.refs) <= cited, (c.text, c.refs, cited)
    elif kind in ("missing", "air", "pmkid", "log"):
        assert c.refs or c.logs
    else:
        raise AssertionError(f"no checker for claim kind {c.kind!r}")


def _check_ending(c: Claim, a: Attempt, msgs: dict[int, Message], attempts: list[Attempt], ref: Message | None
                  ) -> None:
    kind = c.kind.split(":", 1)[1]
    f = c.facts
    if kind == "peer-rejected":
        w = what(ref)
        assert w.get("status") == f["status"] != 0 and sender_of(ref, a) == "AP", (w, f)
    elif kind == "refused":
        assert ref.error is not None and ref.error.errno == f["errno"] != 0
    elif kind == "aborted":
        assert ref.cmd_name == "EXTERNAL_AUTH" and ref.value("EXTERNAL_AUTH_ACTION") == 1
    elif kind == "local-give-up":
        assert ref.role == "request" and (ref.cmd_name in ("EXTERNAL_AUTH", "DEAUTHENTICATE")
                                          or what(ref).get("status") not in (None, 0))
    elif kind == "timeout":
        assert "TIMED_OUT" in ref or (ref.cmd_name == "CONNECT" and ref.role == "event"
                                      and ref.value("STATUS_CODE") not in (None, 0))
    elif kind == "disconnect":
        assert ref.cmd_name in ("DISCONNECT", "DEAUTHENTICATE", "FRAME", "CONNECT") or what(ref).get("frame") in (
            "DEAUTH", "DISASSOC")
        if f.get("reason") is not None:
            assert f["reason"] in (ref.value("REASON_CODE"), what(ref).get("reason"))
    elif kind == "silence":
        last, end = msgs[c.refs[0]], msgs[c.refs[-1]]
        assert a.end_index == last.index and end.timestamp - last.timestamp >= 5.0
    elif kind == "capture-end":
        assert max(m.timestamp for m in msgs.values()) - ref.timestamp < 5.0
    elif kind == "new-attempt":
        assert any(o.start_index == ref.index for o in attempts if o is not a)
    elif kind == "connected":
        assert ref is not None and (stage_proven(ref, "authorized", a) or stage_proven(ref, "4way-4", a))
    elif kind != "evicted":
        raise AssertionError(f"no checker for ending {kind!r}")


@pytest.mark.parametrize(("kind", "name"), SOURCES)
def test_every_claim_is_backed_by_the_messages_it_cites(kind, name):
    msgs, attempts = decode(kind, name)
    assert attempts
    for a in attempts:
        assert a.claims, a
        assert a.explanation == " ".join(c.text for c in a.claims)
        for c in a.claims:
            assert c.certainty in ("certain", "likely", "possible")
            try:
                check(c, a, msgs, attempts)
            except AssertionError as e:
                raise AssertionError(f"attempt {a.number} ({a.verdict}): {c.kind}: {c.text!r}: {e}") from e
        for cand in a.candidates:
            assert cand.certainty in ("certain", "likely", "possible") and cand.tell_apart
            assert all(r in msgs for r in cand.refs)
        for finding in a.findings:
            assert all(r in msgs for r in finding.refs), finding


def test_a_checker_fails_on_a_false_claim():
    """The checkers can fail: a claim citing the wrong message or status is caught."""
    msgs, attempts = decode("lab", "wpas-sae-wrongpass/nlmon.pcap")
    a = next(x for x in attempts if x.verdict == "confirm-mismatch" and x.mode != "ap")
    ending = next(c for c in a.claims if c.kind == "ending:peer-rejected")
    wrong = Claim(ending.kind, ending.text, ending.refs, facts=dict(ending.facts, status=77))
    with pytest.raises(AssertionError):
        check(wrong, a, msgs, attempts)
    commit = next(c for c in a.claims if c.kind == "count")
    shifted = Claim("count", commit.text, tuple(r + 1 for r in commit.refs), facts=commit.facts)
    with pytest.raises(AssertionError):
        check(shifted, a, msgs, attempts)

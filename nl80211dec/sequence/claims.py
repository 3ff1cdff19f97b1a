"""The sentences explanations are made of: each a :class:`~.attempt.Claim` with its evidence.

A claim's ``kind`` says what it asserts, so that a checker can hold it to
the messages it cites (``tests/test_claims.py`` does, on every shipped
capture).  Kinds:

``stage``          the attempt got as far as ``facts.stage``; refs: the message that proves it
``ending:<kind>``  how it ended (state.ENDING_KINDS / CLOSE_KINDS); refs: the ending message
``count``          ``facts.n`` events of ``facts.word`` happened; refs: their messages
``absent``         no event of ``facts.word`` in the attempt (refs: the attempt's first and last message)
``tx-status``      every TX status of ``facts.what`` said ``facts.acked``; refs: the TX statuses
``advertised``     the AP's scan result says ``facts.property`` is ``facts.value``; refs: the scan result
``offered``        the request at refs offered PMKID ``facts.pmkid``
``cleared``        the request at refs was wiped by the kernel before the capture copied it
``missing``        the flow expects ``facts.word`` before refs, and the capture does not have it
``answer``         the kernel answered ``facts.cmd`` with errno ``facts.errno``
``eapol``          the EAPoL-Key messages ``facts.messages`` were seen, at refs
``akm``            the EXTERNAL_AUTH event carried the AKM bytes ``facts.bytes``
``air``            what the over-the-air capture showed (facts from the air join)
``log``            what a log line says; ``logs`` names the lines
``meaning``        what the cited evidence means (a fact of the protocol or a driver, not of the
                   capture): it cites only messages other claims of the attempt cite
"""

from __future__ import annotations

from ..wire import ieee80211
from ..wire.text import describe_errno
from .attempt import Attempt, Claim

STAGE_TEXT = {
    "none": "nothing", "scan": "scanning", "connect": "the connection request",
    "commit": "the station's SAE commit", "commit-exchanged": "the exchange of SAE commits",
    "confirm": "the station's SAE confirm", "confirmed": "a completed authentication",
    "associated": "association", "4way-1": "4-way handshake message 1", "4way-2": "4-way handshake message 2",
    "4way-3": "4-way handshake message 3", "4way-4": "4-way handshake message 4",
    "authorized": "the authorized port",
}

WORD_TEXT = {
    "STA_COMMIT": ("SAE commit", "from the station"), "AP_COMMIT": ("SAE commit", "from the AP"),
    "STA_CONFIRM": ("SAE confirm", "from the station"), "AP_CONFIRM": ("SAE confirm", "from the AP"),
    "AP_REJECT": ("SAE rejection", "from the AP"), "EXT_AUTH_START": ("EXTERNAL_AUTH request", "from the driver"),
    "EXT_AUTH_REPORT": ("EXTERNAL_AUTH status report", "from the supplicant"),
    "CONNECT_RESULT": ("CONNECT event", "from the driver"), "CONNECT_REQ": ("CONNECT request", "from the supplicant"),
    "ASSOC_RESP": ("Association Response", "from the AP"), "ASSOC_REQ": ("Association Request", "from the station"),
    "AP_OPEN_AUTH": ("Authentication response", "from the AP"), "EAPOL": ("EAPoL-Key frame", ""),
    "AUTHORIZED": ("port authorization", ""),
}


def status_text(code: int | None) -> str:
    if code is None:
        return "no status"
    return f"{ieee80211.STATUS_CODES.get(code, 'status')} ({code})"


def reason_text(code: int | None) -> str:
    if code is None:
        return "no reason code"
    return f"{ieee80211.REASON_CODES.get(code, 'reason')} ({code})"


def ref(a: Attempt, index: int | None) -> str:
    """'#12 at +3.4 ms' (relative to the attempt's start) for a message the attempt holds."""
    if index is None:
        return "no message"
    if a.source is not None:  # rebuilt from a log read alone: its line numbers
        return f"line {index}"
    t = a.time_of(index)
    return f"#{index} at +{(t - a.start_time) * 1000:.1f} ms" if t is not None else f"#{index}"


def refs_text(indexes: list[int], limit: int = 6, lines: bool = False) -> str:
    shown = ", ".join(f"line {i}" if lines else f"#{i}" for i in indexes[:limit])
    return shown + (f" and {len(indexes) - limit} more" if len(indexes) > limit else "")


# -- builders ------------------------------------------------------------------------

def stage(a: Attempt) -> Claim:
    return Claim("stage", f"It got as far as {STAGE_TEXT[a.stage]} ({ref(a, a.rank_index)}).",
                 (a.rank_index,) if a.rank_index is not None else (), facts={"stage": a.stage})


def count(a: Attempt, word: str, indexes: list[int], what: str) -> Claim:
    n = len(indexes)
    return Claim("count", f"{what.replace('{n}', str(n)).replace('{s}', '' if n == 1 else 's')} "
                          f"({refs_text(indexes, lines=a.source is not None)}).", tuple(indexes),
                 facts={"word": word, "n": n})


def absent(a: Attempt, word: str, text: str) -> Claim:
    span = tuple(i for i in (a.start_index, a.end_index) if i is not None)
    return Claim("absent", text, span, facts={"word": word})


def tx_status(a: Attempt, what: str, acked: bool, indexes: list[int], text: str) -> Claim:
    return Claim("tx-status", text, tuple(indexes), facts={"what": what, "acked": acked})


def advertised(a: Attempt, prop: str, value: bool, text: str, certainty: str = "certain") -> Claim:
    bss = (a.scan or {}).get("sae_bss") or {}
    index = bss.get("index")
    return Claim("advertised", text, (index,) if index is not None else (), certainty,
                 facts={"property": prop, "value": value})


def meaning(text: str, refs: tuple[int, ...], certainty: str = "certain") -> Claim:
    return Claim("meaning", text, refs, certainty)


def answer(a: Attempt, cmd: str, errno: int, index: int) -> Claim:
    return Claim("answer", f"The kernel answered the {cmd} request with {describe_errno(errno)} ({ref(a, index)}).",
                 (index,), facts={"cmd": cmd, "errno": errno})


def cleared(a: Attempt, what: str) -> Claim | None:
    if not a.cleared_before:
        return None
    i = a.cleared_before[-1]
    return Claim("cleared", f"{what} is unknown: the request at #{i}, just before the attempt, was cleared by the "
                            "kernel before the capture copied it (iwmon does this to key-carrying requests such as "
                            "CONNECT).", (i,), "certain", facts={"what": what})


def missing(a: Attempt) -> list[Claim]:
    out = []
    for word, seen in a.borrowed:
        name, _ = WORD_TEXT.get(word, (word, ""))
        out.append(Claim("missing", f"The station's own {name} is not in this capture (the request was lost or "
                                    f"cleared); the AP's socket received it at #{seen}.", (seen,), "certain",
                         facts={"word": word}))
    for word, later in a.gaps[:3]:
        name = WORD_TEXT.get(word, (word, ""))[0]
        out.append(Claim("missing", f"The capture has no {name} before #{later}, which the flow needs: a message "
                                    "the capture lost (or the kernel cleared).", (later,), "likely",
                         facts={"word": word}))
    return out


def ending(a: Attempt) -> Claim:
    """The sentence that says how the attempt ended."""
    e = a.ending
    assert e is not None
    kind = f"ending:{e.kind}"
    refs = (e.index,) if e.index is not None else ()
    facts = {"word": e.word, "status": e.status}
    if e.kind == "peer-rejected":
        what = {"AP_REJECT": _rejected_frame(a, e.index), "ASSOC_RESP": "the association",
                "AP_OPEN_AUTH": "the Open System authentication"}.get(e.word or "", "the attempt")
        return Claim(kind, f"The AP rejected {what} with {status_text(e.status)} ({ref(a, e.index)}).", refs,
                     facts=facts)
    if e.kind == "refused":
        cmd = next((c for c, _e, i in a.request_errors if i == e.index), None) or \
            ("EXTERNAL_AUTH" if e.index == a.report_answer_index else "?")
        return Claim(kind, f"The kernel refused the {cmd} request with {describe_errno(e.status or 0)} "
                           f"({ref(a, e.index)}).", refs, facts={"cmd": cmd, "errno": e.status})
    if e.kind == "aborted":
        return Claim(kind, f"The driver aborted external authentication (EXTERNAL_AUTH action ABORT, "
                           f"{ref(a, e.index)}).", refs, facts=facts)
    if e.kind == "local-give-up":
        how = {"EXT_AUTH_REPORT": f"it reported EXTERNAL_AUTH status {status_text(e.status)}",
               "DEAUTH_REQ": "it asked to deauthenticate", "STA_REJECT": "it rejected the AP's frame"}
        return Claim(kind, f"The supplicant gave up: {how.get(e.word or '', 'it stopped')} ({ref(a, e.index)}).",
                     refs, facts=facts)
    if e.kind == "timeout":
        how = {"AUTH_TIMEOUT": "the kernel reported an authentication timeout",
               "ASSOC_TIMEOUT": "the kernel reported an association timeout",
               "CONNECT_RESULT": f"the driver ended the connection with CONNECT status {status_text(e.status)}"}
        return Claim(kind, f"Then {how.get(e.word or '', 'a timeout')} ({ref(a, e.index)}).", refs, facts=facts)
    if e.kind == "disconnect":
        d = a.disconnect or {}
        by = " by the AP" if d.get("by_ap") else " locally" if d.get("local") else ""
        return Claim(kind, f"The link was torn down{by} with {reason_text(d.get('reason'))} ({ref(a, e.index)}).",
                     refs, facts={"word": e.word, "reason": d.get("reason"), "by_ap": d.get("by_ap")})
    if e.kind == "silence":
        last = a.end_index
        return Claim(kind, f"Nothing more about this attempt followed for {e.detail} after #{last} while the "
                           f"capture went on (to #{a.capture_end_index}).",
                     tuple(i for i in (last, a.capture_end_index) if i is not None),
                     facts={"seconds": (a.capture_end_time or 0) - (a.end_time or a.start_time)})
    if e.kind == "capture-end":
        return Claim(kind, f"The capture ends {e.detail} after the attempt's last message (#{a.end_index}).",
                     (a.end_index,) if a.end_index is not None else (), facts={})
    if e.kind == "new-attempt":
        return Claim(kind, f"The next attempt began at #{e.index}.", refs, facts={})
    if e.kind == "evicted":
        return Claim(kind, f"This attempt was closed unfinished: {e.detail}.", (), facts={})
    return Claim(kind, f"It stayed connected to the end of the capture (#{a.capture_end_index}).", refs, facts={})


def _rejected_frame(a: Attempt, index: int | None) -> str:
    f = next((f for f in a.sae if f.index == index), None)
    if f is None:
        return "the SAE exchange"
    return "the station's commit" if f.message == "commit" else "the station's confirm"

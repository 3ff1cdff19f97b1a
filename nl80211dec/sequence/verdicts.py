"""Verdicts: an attempt's (stage, ending, evidence) read as what happened, in claims a user can check.

:data:`VERDICTS` is an ordered table.  Each row asks about the furthest
stage, how the attempt ended and a little evidence, and returns the message
that decides it (or None); the first row that answers names the attempt.
``ok`` comes first: an attempt that connected is ``ok`` whatever else
happened, and anomalies are findings (:mod:`.findings`).  Each row's
explanation is a list of :class:`~.attempt.Claim` built from the facts
present; what the capture cannot settle is a list of
:class:`~.attempt.Candidate` causes with what would tell them apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..sae.groups import GROUPS
from ..wire.text import quoted
from . import claims as C
from .attempt import Attempt, Candidate, Claim, Step
from .findings import find
from .logwords import WPAIE_WITH_PMKID
from .state import AUTH_TIMEOUT, COMMIT_OK, CONNECTED, GROUP_REFUSED, RANK, SAE_H2E, SUCCESS, TOKEN_REQUIRED

PASSWORD_ID_UNKNOWN = 123
AKM_SAE_HOST_ORDER = bytes.fromhex("08ac0f00")  # WLAN_AKM_SUITE_SAE as nl80211's u32 in host (little-endian) order


@dataclass(frozen=True)
class Verdict:
    id: str
    title: str
    test: Callable[[Attempt], int | None]
    explain: Callable[[Attempt, int], list[Claim | None]]
    advice: str


# -- what the rows ask -------------------------------------------------------------

def _ended(a: Attempt, *kinds: str) -> bool:
    return a.ending is not None and a.ending.kind in kinds


def _rejection(a: Attempt, message: str) -> int | None:
    """The AP's rejection that ended the attempt, when it rejected ``message`` (commit/confirm)."""
    e = a.ending
    if e is None or e.kind != "peer-rejected" or e.word != "AP_REJECT":
        return None
    f = next((f for f in a.sae if f.index == e.index), None)
    return e.index if f is not None and f.message == message else None


def _ap_frames(a: Attempt) -> list[int]:
    return [f.index for f in a.sae if f.direction == ("tx" if a.mode == "ap" else "rx")]


def _sae_indexes(a: Attempt, direction: str, message: str, statuses: tuple[int, ...] | None = None) -> list[int]:
    return [f.index for f in a.sae_where(direction, message, statuses)]


def _ours(a: Attempt) -> str:
    return "tx" if a.mode != "ap" else "rx"  # the station's frames


def _theirs(a: Attempt) -> str:
    return "rx" if a.mode != "ap" else "tx"  # the AP's frames


def _ok(a: Attempt) -> int | None:
    return a.rank_index if a.rank >= CONNECTED else None


def _firmware_aborted(a: Attempt) -> int | None:
    return a.ending.index if a.ending is not None and a.ending.kind == "aborted" else None


def _report_rejected(a: Attempt) -> int | None:
    return a.report_answer_index if a.report_errno else None


def _request_rejected(a: Attempt) -> int | None:
    e = a.ending
    if e is not None and e.kind == "refused" and e.index != a.report_answer_index:
        return e.index
    return None


def _no_commit_at_all(a: Attempt) -> bool:
    return a.mode == "external-auth" and a.ext_start is not None and not a.saw("STA_COMMIT") \
        and not a.saw("AP_COMMIT") and not a.saw("AP_REJECT")


def _pmksa_instead_of_sae(a: Attempt) -> int | None:
    if _no_commit_at_all(a) and a.pmkid_offered:
        return a.report_index if a.report_index is not None else a.ext_start
    return None


def _no_commit_sent(a: Attempt) -> int | None:
    if _no_commit_at_all(a):
        return a.report_index if a.report_index is not None else a.ext_start
    return None


def _commit_not_acked(a: Attempt) -> int | None:
    sent = [f for f in a.commits_sent if f.direction == "tx"]
    if a.mode != "ap" and sent and all(f.acked is False for f in sent) and not _ap_frames(a) \
            and a.rank < RANK["commit-exchanged"]:
        return sent[-1].index
    return None


def _unsupported_group(a: Attempt) -> int | None:
    e = a.ending
    if e is not None and e.word == "AP_REJECT" and e.status == GROUP_REFUSED:
        return e.index
    return None


def _anti_clogging_loop(a: Attempt) -> int | None:
    rounds = _sae_indexes(a, _theirs(a), "commit", (TOKEN_REQUIRED,))
    if len(rounds) >= 3 and not a.saw("AP_COMMIT") and a.rank < CONNECTED:
        return rounds[-1]
    return None


def _password_id(a: Attempt) -> int | None:
    index = _rejection(a, "commit")
    return index if index is not None and a.ending is not None and a.ending.status == PASSWORD_ID_UNKNOWN else None


def _pwe_evidence(a: Attempt) -> tuple[str, str] | None:
    """Why the password element methods differ, when the capture shows it: (property, sentence)."""
    for s in a.logs:
        if (s.facts or {}).get("kind") == "sae_unexpected_status" and (s.facts or {}).get("status") == SUCCESS:
            return ("log", f"The AP's log says it refused the station's hunting-and-pecking commit (status 0) "
                           f"because it requires hash-to-element ({s.source} line {s.line}).")
    bss = (a.scan or {}).get("sae_bss") or {}
    ours = {f.status for f in a.sae_where(_ours(a), "commit") if f.status in (SUCCESS, SAE_H2E)}
    theirs = {f.status for f in a.sae_where(_theirs(a), "commit") if f.status in (SUCCESS, SAE_H2E)}
    if bss.get("h2e_only") and SUCCESS in ours and SAE_H2E not in ours:
        return ("h2e_only", "The AP accepts only hash-to-element (the H2E-only membership selector in its rates) "
                            "and the station's commits used hunting-and-pecking (status 0).")
    if bss and not bss.get("h2e") and ours == {SAE_H2E}:
        return ("h2e", "The AP does not offer hash-to-element (no H2E bit in its RSNXE) and the station's commits "
                       "used it (status 126).")
    if ours and theirs and ours.isdisjoint(theirs):
        return ("", "The two sides' commits used different password element methods (status "
                    f"{', '.join(map(str, sorted(ours)))} against {', '.join(map(str, sorted(theirs)))}).")
    return None


def _h2e_mismatch(a: Attempt) -> int | None:
    if a.mode == "scan-only":
        return a.rank_index if _never_tried_cause(a) == "h2e" else None
    if _pwe_evidence(a) is None or a.rank >= RANK["confirm"] or _ended(a, "capture-end"):
        return None
    return a.ending.index if a.ending is not None and a.ending.index is not None else a.rank_index


def _commit_rejected(a: Attempt) -> int | None:
    return _rejection(a, "commit")


def _no_peer_commit(a: Attempt) -> int | None:
    commits = a.sae_where(_ours(a), "commit", COMMIT_OK)
    if not commits or a.saw("AP_COMMIT") or a.saw("AP_REJECT") or a.rank >= RANK["commit-exchanged"]:
        return None  # (a later stage proves the AP's commit came, even when the capture lost it)
    if _ended(a, "capture-end") and a.air is None:
        return None
    return a.timeout[1] if a.timeout else commits[-1].index


def _confirm_mismatch(a: Attempt) -> int | None:
    return _rejection(a, "confirm")


def _no_peer_confirm(a: Attempt) -> int | None:
    if _ended(a, "capture-end", "peer-rejected"):
        return None
    if a.mode == "ap":
        sent = _sae_indexes(a, "tx", "commit", COMMIT_OK)
        answered = bool(a.sae_where("tx", "confirm"))  # the AP's confirm, or its rejection of the station's
        return sent[-1] if sent and not answered and a.rank < RANK["confirmed"] else None
    confirms = _sae_indexes(a, "tx", "confirm")
    if confirms and not a.saw("AP_CONFIRM") and a.rank < RANK["confirmed"]:
        return a.timeout[1] if a.timeout else confirms[-1]
    return None


def _assoc_rejected(a: Attempt) -> int | None:
    if a.rank < RANK["confirmed"] or a.rank >= RANK["associated"] or _ended(a, "capture-end"):
        return None
    e = a.ending
    return e.index if e is not None and e.index is not None else a.rank_index


def _four_way_failed(a: Attempt) -> int | None:
    if RANK["associated"] <= a.rank < CONNECTED and not _ended(a, "capture-end"):
        return a.ending.index if a.ending is not None and a.ending.index is not None else a.end_index
    return None


def _driver_connect_failed(a: Attempt) -> int | None:
    if a.mode in ("fullmac", "external-auth") and not a.sae and a.ext_start is None and a.rank < CONNECTED \
            and not _ended(a, "capture-end"):
        return a.connect_index if a.connect_index is not None else a.end_index
    return None


def _pmkid_mismatch(a: Attempt) -> int | None:
    if a.pmkid_check and a.pmkid_check.get("match") is False:
        return a.eapol.get("4-way message 1") or a.assoc_index
    return None


def _incomplete(a: Attempt) -> int | None:
    return a.end_index if _ended(a, "capture-end") else None


def _no_attempt(a: Attempt) -> int | None:
    return a.rank_index if a.mode == "scan-only" else None


def _undecided(a: Attempt) -> int | None:
    return a.end_index if a.end_index is not None else a.start_index


# -- explanations -------------------------------------------------------------------------

def _sent(a: Attempt, word: str, message: str, what: str) -> Claim | None:
    side = _ours(a) if word.startswith("STA") else _theirs(a)
    indexes = _sae_indexes(a, side, message, COMMIT_OK if message == "commit" else None)
    return C.count(a, word, indexes, what) if indexes else None


def _e_ok(a: Attempt, i: int) -> list[Claim | None]:
    out: list[Claim | None] = [C.stage(a)]
    refused = _sae_indexes(a, _theirs(a), "commit", (GROUP_REFUSED,))
    if refused:
        out.append(C.count(a, "AP_REJECT", refused, f"The AP refused group(s) first (status 77), and the station "
                           f"fell back (groups tried: {', '.join(map(str, a.groups_tried))})"))
    tokens = _sae_indexes(a, _theirs(a), "commit", (TOKEN_REQUIRED,))
    if tokens:
        out.append(C.count(a, "AP_REJECT", tokens, "The AP asked for an anti-clogging token {n} time{s}"))
    if not a.sae and a.pmkid_offered and a.mode != "ap":
        out.append(Claim("offered", f"No SAE ran: the station offered the cached PMKID {a.pmkids[0]} (PMKSA "
                                    "caching).", (a.first.get("ASSOC_REQ", a.first.get("CONNECT_REQ", a.start_index)),),
                         facts={"pmkid": a.pmkids[0]}))
    out.append(C.ending(a))
    return out


def _e_aborted(a: Attempt, i: int) -> list[Claim | None]:
    return [_sent(a, "STA_COMMIT", "commit", "The station sent {n} SAE commit{s}"), C.ending(a),
            C.meaning("The firmware gave up on SAE before the supplicant finished; what the driver reports after "
                      "that follows from the abort.", (i,))]


def _e_report(a: Attempt, i: int) -> list[Claim | None]:
    out: list[Claim | None] = [C.stage(a)]
    if a.report_index is not None:
        out.append(C.count(a, "EXT_AUTH_REPORT", [a.report_index],
                           f"The supplicant reported the SAE outcome with EXTERNAL_AUTH status "
                           f"{C.status_text(a.report_status)}"))
    out.append(C.answer(a, "EXTERNAL_AUTH", a.report_errno or 0, i))
    if a.connect_index is None:
        out.append(C.absent(a, "CONNECT_RESULT", "No CONNECT event followed."))
    out.append(C.ending(a))
    out.append(C.meaning("The driver refused the status report itself, so the firmware never learned the outcome "
                         "of SAE and never associated.", (i,)))
    if a.report_errno == -52:
        out.append(C.meaning("With brcmfmac, -52 (EBADE) is the firmware rejecting the size of the external-auth "
                             "status it was given (fixed by the kernel patch \"brcmfmac: Fix structure size for "
                             "WPA3 external SAE\").", (i,), "likely"))
    return out


def _e_request(a: Attempt, i: int) -> list[Claim | None]:
    cmd, errno, _ = next((r for r in a.request_errors if r[2] == i), ("?", 0, i))
    return [C.stage(a), C.answer(a, cmd, errno, i),
            C.meaning("The attempt stopped there: the kernel or driver did not take the request.", (i,))]


def _e_pmksa(a: Attempt, i: int) -> list[Claim | None]:
    pmkid = a.pmkids[0] if a.pmkids else "(not printed)"
    connect = a.first.get("CONNECT_REQ", a.start_index)
    offered = Claim("offered", f"The CONNECT request offered the cached PMKID {pmkid} ({C.ref(a, connect)}): the "
                               "supplicant meant to skip SAE.", (connect,), facts={"pmkid": pmkid})
    said = next((s for s in a.logs if s.facts and s.facts.get("kind") in ("pmksa_used", "pmksa_found")), None)
    rsne = next((s for s in a.logs if s.facts and s.facts.get("kind") == "fw_iovar"
                 and s.facts.get("name") == "wpaie" and s.facts.get("len") in WPAIE_WITH_PMKID), None)
    if said is not None:
        offered = Claim("log", f"The supplicant's log says it used its PMKSA cache ({said.source} line {said.line}): "
                               "it meant to skip SAE.", (), logs=(f"{said.source}:{said.line}",))
    elif rsne is not None and a.pmkids and a.pmkids[0].startswith("("):
        size = (rsne.facts or {}).get("len")
        offered = Claim("log", f"The RSN element the driver gave the firmware has {size} octets "
                               f"({rsne.source} line {rsne.line}), 18 more than one without a PMKID: the join "
                               "carried a cached PMKID, so the supplicant meant to skip SAE.", (), "likely",
                        logs=(f"{rsne.source}:{rsne.line}",))
    out: list[Claim | None] = [
        offered,
        C.count(a, "EXT_AUTH_START", [a.ext_start] if a.ext_start is not None else [],
                "The firmware still asked for SAE with an EXTERNAL_AUTH request"),
        C.absent(a, "STA_COMMIT", "The supplicant never sent an SAE commit."),
    ]
    if a.report_index is not None:
        out.append(C.count(a, "EXT_AUTH_REPORT", [a.report_index],
                           f"It answered with EXTERNAL_AUTH status {C.status_text(a.report_status)}"))
    out.append(C.ending(a))
    out.append(C.meaning("This is the failure of the brcmfmac/iwd thread: the firmware cannot use the host's PMKSA, "
                         "so SAE must run whenever it asks; brcmfmac logs 'External authentication failed: "
                         "status=1' and the link ends up without an address.",
                         tuple(x for x in (a.ext_start, a.report_index) if x is not None), "likely"))
    return out


def _e_no_commit(a: Attempt, i: int) -> list[Claim | None]:
    out: list[Claim | None] = [
        C.count(a, "EXT_AUTH_START", [x for x in (a.ext_start,) if x is not None],
                "The firmware asked for SAE with an EXTERNAL_AUTH request"),
        C.absent(a, "STA_COMMIT", "The supplicant never sent an SAE commit."),
    ]
    if a.report_index is not None:
        out.append(C.count(a, "EXT_AUTH_REPORT", [a.report_index],
                           f"It reported EXTERNAL_AUTH status {C.status_text(a.report_status)}"))
    out.append(C.cleared(a, "Whether the CONNECT request offered a cached PMKID"))
    out.append(C.ending(a))
    ext = a.ext_start
    refs = (ext,) if ext is not None else ()
    if a.akm_raw == AKM_SAE_HOST_ORDER:
        out.append(Claim("akm", "The EXTERNAL_AUTH request carried the AKM as nl80211's u32 in host order (bytes "
                                f"08 ac 0f 00, {C.ref(a, ext)}).", refs, facts={"bytes": "08ac0f00"}))
        a.candidates.append(Candidate(
            "the supplicant ignored the request because of the AKM's byte order", "likely",
            "Debian 12's wpa_supplicant 2.10 compares the AKM in wire order (00-0f-ac:8, bytes 00 0f ac 08) and "
            "drops the request silently when it comes as 08 ac 0f 00", refs,
            "wpa_supplicant -dd logs 'External auth action: 0, AKM: 0xfac08' and nothing after it",
            "no-commit-sent"))
    a.candidates.append(Candidate("the supplicant has no external-auth support for this driver", "possible",
                                  "no commit at all after the request", refs,
                                  "the supplicant's debug log, or another supplicant on the same driver",
                                  "no-commit-sent"))
    if not a.pmksa_known:
        a.candidates.append(Candidate("the supplicant meant to use a cached PMKSA", "possible",
                                      "the CONNECT request that would say so was cleared", refs,
                                      "a capture with tcpdump on nlmon0 (it keeps CONNECT), or the supplicant's log",
                                      "pmksa-instead-of-sae"))
    return out


def _air(a: Attempt) -> Claim | None:
    if a.air is None:
        return None
    ours = a.air["our_sae"]
    sent = sum(x["on_air"] for x in ours)
    acked = sum(x["acked"] for x in ours)
    undelivered = a.air["peer_sae_undelivered"]
    text = f"On the air, the station's SAE frames were transmitted {sent} time(s), {acked} acknowledged"
    if undelivered:
        first = undelivered[0]
        text += (f"; the AP did answer ({first['message']} status {first['status']}, {len(undelivered)} frame(s)) "
                 "but the driver never delivered it to the supplicant")
    elif not a.air["peer_sae_on_air"]:
        text += "; no SAE frame from the AP appeared on the air"
    return Claim("air", text + ".", tuple(x["index"] for x in ours), facts={"sent": sent, "acked": acked})


def _e_commit_not_acked(a: Attempt, i: int) -> list[Claim | None]:
    sent = [f.index for f in a.commits_sent]
    return [C.count(a, "STA_COMMIT", sent, "The station sent {n} SAE commit{s}"),
            C.tx_status(a, "STA_COMMIT", False, sent, "Every TX status said not acknowledged."),
            C.absent(a, "AP_COMMIT", "Nothing came back from the AP."), C.ending(a), _air(a),
            C.meaning("The AP did not hear the station: out of range, another channel, or the firmware did not "
                      "transmit the frame.", (i,), "likely")]


def _e_unsupported(a: Attempt, i: int) -> list[Claim | None]:
    refused = _sae_indexes(a, _theirs(a), "commit", (GROUP_REFUSED,))
    return [_sent(a, "STA_COMMIT", "commit", f"The station offered group(s) {', '.join(map(str, a.groups_tried))} "
                                             "in {n} commit{s}"),
            C.count(a, "AP_REJECT", refused, "The AP refused the group with status 77 {n} time{s}"), C.ending(a),
            C.meaning("No finite cyclic group is configured on both sides.", (i,))]


def _e_anticlog(a: Attempt, i: int) -> list[Claim | None]:
    rounds = _sae_indexes(a, _theirs(a), "commit", (TOKEN_REQUIRED,))
    return [C.count(a, "AP_REJECT", rounds, "The AP answered {n} commit{s} with an anti-clogging token request "
                                            "(status 76)"),
            C.absent(a, "AP_COMMIT", "It never accepted a commit."), C.ending(a),
            C.meaning("The token is not echoed correctly, or the AP is under load.", (i,), "possible")]


def _e_password_id(a: Attempt, i: int) -> list[Claim | None]:
    return [_sent(a, "STA_COMMIT", "commit", "The station sent {n} SAE commit{s}"), C.ending(a),
            C.meaning("Status 123 means the AP does not know the password identifier the station's commit named "
                      "(or the station named none where the AP requires one).", (i,))]


def _e_h2e(a: Attempt, i: int) -> list[Claim | None]:
    if a.mode == "scan-only":
        return _e_no_attempt(a, i)
    prop, sentence = _pwe_evidence(a) or ("", "")
    if prop == "log":
        claim = Claim("log", sentence, (), logs=tuple(f"{s.source}:{s.line}" for s in a.logs
                                                     if (s.facts or {}).get("kind") == "sae_unexpected_status")[:1])
    elif prop:
        claim = C.advertised(a, prop, prop == "h2e_only", sentence)
    else:
        claim = Claim("count", sentence, tuple(f.index for f in a.sae if f.message == "commit"),
                      facts={"word": "commits"})
    return [claim, C.ending(a),
            C.meaning("The password element methods differ (hunting-and-pecking against hash-to-element), so the "
                      "two sides cannot agree on a key.", (i,), "likely")]


def _e_commit_rejected(a: Attempt, i: int) -> list[Claim | None]:
    a.candidates.append(Candidate("the AP does not accept this station's SAE parameters (password element method, "
                                  "password identifier, rejected groups)", "possible",
                                  f"the AP's status {C.status_text(a.ending.status if a.ending else None)}", (i,),
                                  "the AP's log (hostapd -dd says why it refused the commit)", "h2e-mismatch"))
    a.candidates.append(Candidate("an AP-side policy or failure unrelated to the station's commit", "possible",
                                  "the status is generic", (i,), "the AP's log", None))
    return [_sent(a, "STA_COMMIT", "commit", "The station sent {n} SAE commit{s}"), C.ending(a)]


def _e_no_peer_commit(a: Attempt, i: int) -> list[Claim | None]:
    if a.mode == "ap":
        return [_sent(a, "STA_COMMIT", "commit", "The station sent {n} SAE commit{s}"),
                C.absent(a, "AP_COMMIT", "The AP never answered it."), C.ending(a)]
    sent = [f.index for f in a.commits_sent]
    acked = [f.index for f in a.commits_sent if f.acked]
    out: list[Claim | None] = [C.count(a, "STA_COMMIT", sent, "The station sent {n} SAE commit{s}")]
    if acked:
        out.append(C.tx_status(a, "STA_COMMIT", True, acked, "The driver reported the commit acknowledged."))
    out.append(C.absent(a, "AP_COMMIT", "No SAE frame from the AP reached the supplicant."))
    out.append(C.ending(a))
    out.append(_air(a))
    if a.air is not None and a.air["peer_sae_undelivered"]:
        out.append(C.meaning("The AP answered and the driver or firmware did not pass its Authentication frames "
                             "up (external-auth offload).", (i,)))
    elif a.air is not None:
        out.append(C.meaning("The AP never answered: it is gone, busy or ignoring this station.", (i,), "likely"))
    else:
        refs = (i,)
        a.candidates.append(Candidate("the AP did not answer (gone, busy, or ignoring this station)", "possible",
                                      "no AP frame in the capture", refs,
                                      "a capture over the air (--air) shows whether the AP transmitted", None))
        if a.mode == "external-auth":
            a.candidates.append(Candidate("the AP answered and the driver did not deliver its frames", "possible",
                                          "the commit was acknowledged" if acked else "no AP frame in the capture",
                                          refs, "a capture over the air (--air)", None))
    return out


def _e_confirm(a: Attempt, i: int) -> list[Claim | None]:
    out = [_sent(a, "STA_COMMIT", "commit", "The station sent {n} SAE commit{s}"),
           _sent(a, "AP_COMMIT", "commit", "The AP answered with {n} commit{s}"),
           _sent(a, "STA_CONFIRM", "confirm", "The station sent {n} confirm{s}"), C.ending(a),
           C.meaning("A confirm proves its sender derived the same key from the password: the AP's rejection means "
                     "the two sides derived different keys.", (i,))]
    refs = (i,)
    a.candidates.append(Candidate("a wrong password (or password identifier) on the station", "likely",
                                  "the AP rejected the confirm after accepting the commit", refs,
                                  "the AP's log ('SAE: Confirm mismatch' in hostapd)", "confirm-mismatch"))
    a.candidates.append(Candidate("the two sides use different password element methods", "possible",
                                  "status 0 commits on both sides" if not _pwe_evidence(a) else "see the commits",
                                  refs, "both sides' sae_pwe settings", "h2e-mismatch"))
    return out


def _e_no_peer_confirm(a: Attempt, i: int) -> list[Claim | None]:
    if a.mode == "ap":
        received = _sae_indexes(a, "rx", "confirm")
        out = [_sent(a, "STA_COMMIT", "commit", "The station sent {n} SAE commit{s}"),
               _sent(a, "AP_COMMIT", "commit", "The AP answered with {n} commit{s}")]
        if received:
            out.append(C.count(a, "STA_CONFIRM", received, "The AP's socket received the station's confirm {n} "
                                                           "time{s}"))
            out.append(C.absent(a, "AP_CONFIRM", "The AP neither confirmed nor rejected it."))
            a.candidates.append(Candidate("the AP dropped a confirm it could not verify (a wrong password)",
                                          "possible", "the confirm reached the AP's socket and got no answer",
                                          (i,), "the AP's log", "confirm-mismatch"))
            a.candidates.append(Candidate("the AP did not process the frame (busy, or a management-frame filter)",
                                          "possible", "no answer at all", (i,), "the AP's log", None))
        else:
            out.append(C.absent(a, "STA_CONFIRM", "The station's confirm never reached the AP."))
        out.append(C.ending(a))
        return out
    confirms = _sae_indexes(a, "tx", "confirm")
    numbers = [f.send_confirm for f in a.sae_where("tx", "confirm") if f.send_confirm is not None]
    out = [_sent(a, "STA_COMMIT", "commit", "The station sent {n} SAE commit{s}"),
           _sent(a, "AP_COMMIT", "commit", "The AP answered with {n} commit{s}"),
           C.count(a, "STA_CONFIRM", confirms, "The station sent its confirm {n} time{s}"
                   + (f" (send-confirm {', '.join(map(str, numbers))})" if numbers else "")),
           C.absent(a, "AP_CONFIRM", "The AP neither confirmed nor rejected it."), C.ending(a), _air(a)]
    refs = (i,)
    a.candidates.append(Candidate("a wrong password: the AP silently dropped a confirm it could not verify",
                                  "possible", "commits were accepted, the confirm got no answer", refs,
                                  "the AP's log ('SAE: Confirm mismatch'), or the station's view of a retry",
                                  "confirm-mismatch"))
    a.candidates.append(Candidate("the AP stopped answering, or never received the confirm", "possible",
                                  "no frame from the AP after its commit", refs,
                                  "a capture over the air (--air): was the confirm acknowledged, did the AP send "
                                  "anything", None))
    return out


def _e_assoc(a: Attempt, i: int) -> list[Claim | None]:
    out: list[Claim | None] = [C.stage(a)]
    if a.mode == "external-auth" and a.report_index is not None and not a.report_errno:
        out.append(C.count(a, "EXT_AUTH_REPORT", [a.report_index],
                           f"The supplicant reported EXTERNAL_AUTH status {C.status_text(a.report_status)} and the "
                           "kernel took it"))
        if a.connect_index is None:
            out.append(C.absent(a, "CONNECT_RESULT", "No CONNECT event followed."))
    out.append(C.ending(a))
    code = a.assoc_status if a.assoc_status not in (None, 0) else a.connect_status
    if code == 53:
        out.append(C.meaning("Status 53 means the AP no longer knows the PMKID the station offered (a stale PMKSA "
                             "cache entry, e.g. after the AP restarted); the station should drop it and run SAE "
                             "again.", (i,)))
    elif code == AUTH_TIMEOUT and a.mode == "external-auth":
        out.append(C.meaning("brcmfmac reports status 16 for every failed connection, so this code says little.",
                             (i,), "likely"))
    if a.mode == "external-auth" and a.connect_index is None:
        a.candidates.append(Candidate("the firmware did not associate after SAE", "possible",
                                      "no CONNECT event", (i,), "the driver's log (brcmfmac debug: LINK/SET_SSID "
                                                                 "events)", None))
    return out


def _e_four_way(a: Attempt, i: int) -> list[Claim | None]:
    seen = {k[-1]: v for k, v in a.eapol.items() if k.startswith("4-way")}
    counts = {k[-1]: n for k, n in a.eapol_counts.items() if k.startswith("4-way")}
    out: list[Claim | None] = [C.stage(a)]
    if seen:
        shown = ", ".join(f"{m}" + (f" x{counts[m]}" if counts.get(m, 1) > 1 else "") for m in sorted(seen))
        out.append(Claim("eapol", f"4-way handshake messages seen: {shown}.", tuple(seen[m] for m in sorted(seen)),
                         facts={"messages": sorted(seen)}))
    refs = (i,)
    if "1" not in seen:
        out.append(C.absent(a, "EAPOL", "The AP never sent message 1: the handshake never started."))
        a.candidates.append(Candidate("the AP never started the 4-way handshake", "likely", "no message 1", refs,
                                      "the AP's log", None))
        a.candidates.append(Candidate("message 1 was sent but not delivered to the supplicant (EAPoL path)",
                                      "possible", "no message 1 in the capture", refs,
                                      "a capture over the air (--air) shows the data frames", None))
    elif "2" not in seen:
        out.append(Claim("absent", "The station never answered message 1 (no message 2).",
                         tuple(x for x in (a.start_index, a.end_index) if x is not None), facts={"word": "EAPOL-2"}))
        a.candidates.append(Candidate("the supplicant did not process message 1", "likely", "no message 2", refs,
                                      "the supplicant's log", None))
    elif "3" not in seen:
        a.candidates.append(Candidate("the AP could not verify message 2: the two sides hold different PMKs (a wrong "
                                      "password or a stale PMKSA)", "likely",
                                      "message 2 went out and no message 3 came back", refs, "the AP's log", None))
    else:
        a.candidates.append(Candidate("the station could not verify message 3", "possible",
                                      "message 3 arrived and no message 4 went out", refs, "the supplicant's log",
                                      None))
    out.append(C.ending(a))
    return out


def _e_driver(a: Attempt, i: int) -> list[Claim | None]:
    how = "ran SAE itself (SAE_PASSWORD in CONNECT)" if a.sae_password else \
        "ran authentication and association itself"
    out: list[Claim | None] = [
        Claim("mode", f"The driver {how}: nl80211 carries nothing of the exchange.",
              (a.first.get("CONNECT_REQ", a.start_index),), facts={"sae_password": a.sae_password}),
        C.ending(a)]
    a.candidates.append(Candidate("a wrong password", "possible", "the driver's failure status", (i,),
                                  "a capture over the air (--air) or the driver's log", None))
    return out


def _e_pmkid(a: Attempt, i: int) -> list[Claim | None]:
    c = a.pmkid_check or {}
    return [C.stage(a),
            Claim("pmkid", f"The PMKID the AP used ({c.get('seen')}) differs from the one the SAE exchange defines "
                           f"({c.get('expected')}, from the sum of both scalars).", (i,), facts=dict(c)),
            C.ending(a)]


def _e_incomplete(a: Attempt, i: int) -> list[Claim | None]:
    return [C.stage(a), C.ending(a)]


SKIP_CAUSES = {"h2e_required": "h2e", "rates": "h2e", "mfp_required": "mfp"}  # wpa_supplicant's "skip" lines


def _skip_line(a: Attempt) -> tuple[str, Step] | None:
    """The cause a supplicant's log gives for never trying (its 'skip' or 'SAE H2E disabled' line), if any."""
    for s in a.logs:
        kind = (s.facts or {}).get("kind")
        if kind == "h2e_disabled":
            return "h2e", s
        if kind == "bss_skipped" and (s.facts or {}).get("why") in SKIP_CAUSES:
            return SKIP_CAUSES[(s.facts or {})["why"]], s
    return None


def _never_tried_cause(a: Attempt) -> str:
    """'h2e' when the evidence is H2E's: the log says so, or the AP's H2E-only selector is the likely cause."""
    said = _skip_line(a)
    if said is not None:
        return said[0]
    bss = (a.scan or {}).get("sae_bss") or {}
    return "h2e" if bss.get("h2e_only") else ""


def _e_no_attempt(a: Attempt, i: int) -> list[Claim | None]:
    scan = a.scan or {}
    bss = scan.get("sae_bss") or {}
    if bss:
        seen = Claim("count", f"The station scanned {scan.get('count', 0)} times and saw the SAE network "
                              f"{quoted(a.ssid)} ({bss.get('bssid')}, {C.ref(a, bss.get('index'))}).",
                     (bss.get("index", a.start_index),), facts={"word": "SCAN", "n": scan.get("count", 0)})
    else:  # rebuilt from a log read alone: its "skip" lines are what it saw
        skips = [s for s in a.logs if (s.facts or {}).get("kind") in ("bss_skipped", "h2e_disabled")]
        seen = Claim("log", f"The supplicant's log shows {len(skips)} line(s) where it considered and skipped the "
                            "network.", (), logs=tuple(f"{s.source}:{s.line}" for s in skips[:6]))
    out: list[Claim | None] = [seen, C.absent(a, "STA_COMMIT", "It never started authentication.")]
    refs = (bss["index"],) if "index" in bss else ()
    if bss.get("h2e_only"):
        out.append(C.advertised(a, "h2e_only", True, "The AP accepts only hash-to-element (the H2E-only membership "
                                                     "selector in its rates)."))
        a.candidates.append(Candidate("the station does hunting-and-pecking only (wpa_supplicant sae_pwe=0, older "
                                      "firmware) and skips an H2E-only AP", "likely", "the H2E-only selector", refs,
                                      "the supplicant's log ('SAE H2E disabled', 'rate sets do not match')",
                                      "h2e-mismatch"))
    elif not bss.get("h2e"):
        out.append(C.advertised(a, "h2e", False, "The AP offers only hunting-and-pecking (no H2E bit in its RSNXE)."))
        a.candidates.append(Candidate("the station requires hash-to-element (wpa_supplicant sae_pwe=1)", "possible",
                                      "no H2E in the AP's RSNXE", refs,
                                      "the supplicant's log ('SAE H2E required, but not supported by the AP')",
                                      "h2e-mismatch"))
    if bss.get("mfp_required"):
        out.append(C.advertised(a, "mfp_required", True, "The AP requires management frame protection (MFPR in its "
                                                         "RSN element)."))
        a.candidates.append(Candidate("the station has management frame protection disabled", "possible",
                                      "the AP's MFPR bit", refs,
                                      "the supplicant's log ('no mgmt frame protection enabled but AP requires it')",
                                      "no-attempt"))
    a.candidates.append(Candidate("the station's network settings do not match this network (SSID, key "
                                  "management, a disabled network)", "possible", "nothing was attempted", refs,
                                  "the supplicant's configuration and log", "no-attempt"))
    said = _skip_line(a)
    if said is not None:
        cause, step = said
        out.append(Claim("log", f"The supplicant's log says why ({step.source} line {step.line}): "
                                f"{step.text.split(': ', 1)[-1].strip()}.", (), logs=(f"{step.source}:{step.line}",)))
        for cand in a.candidates:
            if (cause == "h2e") == (cand.verdict == "h2e-mismatch") and cand.verdict != "no-attempt" or (
                    cause == "mfp" and "management frame protection" in cand.cause):
                cand.certainty, cand.support = "certain", f"{cand.support}; the supplicant's log says so"
    return out


def _e_undecided(a: Attempt, i: int) -> list[Claim | None]:
    out: list[Claim | None] = [C.stage(a), C.ending(a)]
    a.candidates.append(Candidate("a step this capture does not show", "possible", "the attempt stopped without a "
                                  "rejection, error or timeout", (i,), "the supplicant's and the driver's logs", None))
    return out


VERDICTS: list[Verdict] = [
    Verdict("ok", "Connected", _ok, _e_ok, ""),
    Verdict("firmware-aborted", "The firmware aborted external authentication", _firmware_aborted, _e_aborted,
            "Check the firmware version; look at the driver log for the reason of the abort."),
    Verdict("status-report-rejected", "The kernel rejected the SAE status report", _report_rejected, _e_report,
            "Update the kernel/driver (brcmfmac: the external SAE struct-size fix), or the vendor firmware."),
    Verdict("request-rejected", "The kernel refused a request", _request_rejected, _e_request,
            "The errno says why; often a missing driver feature or a request made in the wrong state."),
    Verdict("pmksa-instead-of-sae", "The supplicant used its PMKSA cache while the firmware asked for SAE",
            _pmksa_instead_of_sae, _e_pmksa,
            "Run SAE whenever the firmware asks, even with a cached PMKSA (iwd: fixed after 3.3; give the PMKSA to "
            "the driver with SET_PMKSA, iwd 3.6), or forget the network's PMKSA before connecting."),
    Verdict("no-commit-sent", "The supplicant never sent an SAE commit", _no_commit_sent, _e_no_commit,
            "Use a supplicant whose external-auth code accepts this driver's request (iwd 3.x; a wpa_supplicant "
            "that reads the AKM in host order)."),
    Verdict("commit-not-acked", "SAE commits were never acknowledged", _commit_not_acked, _e_commit_not_acked,
            "Move closer, check the channel and regulatory domain, try another firmware."),
    Verdict("unsupported-group", "No SAE group both sides support", _unsupported_group, _e_unsupported,
            "Allow group 19 on both sides (sae_groups in hostapd/wpa_supplicant)."),
    Verdict("anti-clogging-loop", "Stuck in anti-clogging token requests", _anti_clogging_loop, _e_anticlog,
            "Check that the station echoes the token (firmware/supplicant bug) or the AP's "
            "sae_anti_clogging_threshold."),
    Verdict("password-id-mismatch", "The AP does not know the station's password identifier", _password_id,
            _e_password_id, "Use the same sae_password_id on the station as in the AP's sae_password ...|id=...."),
    Verdict("h2e-mismatch", "SAE password element method mismatch (H2E vs hunting-and-pecking)", _h2e_mismatch,
            _e_h2e, "Make both sides agree: sae_pwe=2 (both methods) on the AP and the station is the safe setting."),
    Verdict("commit-rejected", "The AP rejected the station's SAE commit", _commit_rejected, _e_commit_rejected,
            "Read the AP's log for why; check the SAE settings both sides share (sae_pwe, groups, identifiers)."),
    Verdict("no-peer-commit", "The AP's SAE commit never arrived", _no_peer_commit, _e_no_peer_commit,
            "Capture over the air to see whether the AP answers; with external auth, check that the driver passes "
            "received Authentication frames up."),
    Verdict("confirm-mismatch", "The AP rejected the SAE confirm: the two sides derived different keys",
            _confirm_mismatch, _e_confirm, "Re-enter the password; check the password identifier and sae_pwe."),
    Verdict("no-peer-confirm", "The SAE confirm was never answered", _no_peer_confirm, _e_no_peer_confirm,
            "Check the password first (an AP may drop a confirm it cannot verify); read the AP's log; capture over "
            "the air to see whether it answers at all."),
    Verdict("assoc-rejected", "Authentication succeeded but association failed", _assoc_rejected, _e_assoc,
            "Compare the association request's RSN element and PMKID with what the AP expects."),
    Verdict("four-way-failed", "The 4-way handshake did not complete", _four_way_failed, _e_four_way,
            "See which message is missing: no message 1 points at the AP, a missing 2 at the supplicant, a "
            "resent 1 after 2 at the PMK (password or stale PMKSA)."),
    Verdict("driver-connect-failed", "The driver's own authentication or association failed",
            _driver_connect_failed, _e_driver,
            "Check the password; capture over the air or read the driver log to see the exchange."),
    Verdict("pmkid-mismatch", "The PMKID does not match the SAE exchange", _pmkid_mismatch, _e_pmkid,
            "Clear the PMKSA cache on both sides and reconnect."),
    Verdict("no-attempt", "The station never tried to join", _no_attempt, _e_no_attempt,
            "Check the station's network settings against what the AP advertises (the candidates below)."),
    Verdict("incomplete", "The capture ends mid-attempt", _incomplete, _e_incomplete, "Capture for longer."),
    Verdict("undecided", "The capture does not say why this attempt stopped", _undecided, _e_undecided,
            "Capture the supplicant's and the driver's logs with the next try (--log)."),
]
VERDICT_IDS = [v.id for v in VERDICTS]


def pmkid_check(a: Attempt) -> dict[str, object] | None:
    """PMKID = L((own scalar + peer scalar) mod r, 0, 128), compared with what association/EAPoL carry."""
    commits = [f for f in a.sae if f.message == "commit" and f.status in COMMIT_OK and f.scalar]
    tx = [f for f in commits if f.direction == "tx"]
    rx = [f for f in commits if f.direction == "rx"]
    if not tx or not rx or tx[-1].group != rx[-1].group:
        return None
    group = GROUPS.get(tx[-1].group or 0)
    order = group.curve.n if group and group.curve else group.order if group else None
    if group is None or order is None:
        return None
    total = (int.from_bytes(tx[-1].scalar or b"", "big") + int.from_bytes(rx[-1].scalar or b"", "big")) % order
    expected = total.to_bytes(group.order_len, "big")[:16].hex()
    seen = a.eapol_pmkid or (a.pmkids[-1] if a.pmkids and a.mode != "external-auth" else None)
    if seen is None:
        return {"expected": expected, "seen": None, "match": None}
    return {"expected": expected, "seen": seen, "match": seen == expected}


def decide(a: Attempt) -> None:
    """Name the attempt with the first verdict whose evidence is present; say why in claims."""
    a.pmkid_check = pmkid_check(a)
    a.candidates.clear()
    for v in VERDICTS:
        index = v.test(a)
        if index is None:
            continue
        a.verdict, a.title, a.advice = v.id, v.title, v.advice
        a.first_divergence = None if v.id == "ok" else index
        a.claims = [c for c in v.explain(a, index) if c is not None] + C.missing(a)
        break
    a.findings = find(a)

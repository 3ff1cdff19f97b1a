"""Verdicts: what went wrong in an attempt, in words a user can act on.

:data:`VERDICTS` is an ordered table; the first rule whose test finds its
evidence names the attempt.  A test returns the message index where the
attempt diverged from the expected flow (its *evidence*), or None.  The
order matters and is deliberate: an earlier failure explains a later one
(brcmfmac, for instance, reports status 16 in the CONNECT event whatever
went wrong before it, so that code is never the verdict on its own).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..sae.groups import GROUPS
from ..wire import ieee80211 as dot11_enums
from ..wire.text import describe_errno
from .attempt import Attempt

OK_STATES = {"4way_4", "authorized"}


@dataclass(frozen=True)
class Verdict:
    id: str
    title: str
    test: Callable[[Attempt], int | None]
    explain: Callable[[Attempt, int | None], str]
    advice: str


def _status(code: int | None) -> str:
    if code is None:
        return "no status"
    return f"{dot11_enums.STATUS_CODES.get(code, 'status')} ({code})"


def _t(a: Attempt, index: int | None) -> str:
    for s in a.steps:
        if s.index == index:
            return f"message {index} at +{(s.time - a.start_time) * 1000:.1f} ms"
    return f"message {index}"


# -- tests ------------------------------------------------------------------

def _firmware_aborted(a: Attempt) -> int | None:
    return a.ext_abort


def _report_rejected(a: Attempt) -> int | None:
    return a.report_answer_index if a.report_errno else None


def _request_rejected(a: Attempt) -> int | None:
    return a.request_errors[0][2] if a.request_errors and a.mode != "ap" else None


def _pmksa_instead_of_sae(a: Attempt) -> int | None:
    if a.mode != "external-auth" or a.ext_start is None or a.commits_sent:
        return None
    if a.report_index is not None and a.report_status:
        return a.report_index
    if a.pmkid_offered and a.report_index is None:
        return a.ext_start
    return None


def _no_commit_sent(a: Attempt) -> int | None:
    if a.mode == "external-auth" and a.ext_start is not None and not a.commits_sent and not a.pmkid_offered:
        return a.report_index or a.ext_start
    return None


def _commit_not_acked(a: Attempt) -> int | None:
    sent = a.commits_sent
    if sent and all(f.acked is False for f in sent) and not a.sae_where("rx"):
        return sent[-1].index
    return None


def _unsupported_group(a: Attempt) -> int | None:
    if a.mode == "ap":
        rej = [f for f in a.sae_where("tx", "commit") if f.status == 77]
        return rej[-1].index if rej and not [f for f in a.sae_where("tx", "commit") if f.status in (0, 126)] \
            else None
    rej = a.sae_where("rx", "commit", (77,))
    if rej and not a.sae_where("rx", "commit", (0, 126, 127)):
        return rej[-1].index
    return None


def _anti_clogging_loop(a: Attempt) -> int | None:
    side = "tx" if a.mode == "ap" else "rx"
    rounds = [f for f in a.sae_where(side, "commit") if f.status == 76]
    if len(rounds) >= 3 and not a.sae_where(side, "commit", (0, 126, 127)):
        return rounds[-1].index
    return None


def _h2e_mismatch(a: Attempt) -> int | None:
    if a.mode == "scan-only" and a.scan and a.scan.get("sae_bss"):
        return a.scan["sae_bss"]["index"]
    ours = {f.status for f in a.commits_sent}
    theirs = {f.status for f in a.sae_where("rx", "commit", (0, 126, 127))}
    if ours and theirs and ours.isdisjoint(theirs) and a.state not in OK_STATES:
        return a.sae_where("rx", "commit", (0, 126, 127))[0].index
    return None


def _no_peer_commit(a: Attempt) -> int | None:
    sent = a.commits_sent
    if a.air is not None and a.air["peer_sae_undelivered"] and a.mode != "ap" and a.state not in OK_STATES \
            and not a.sae_where("rx", "commit", (0, 126, 127)):
        return sent[-1].index if sent else a.start_index
    if a.mode != "ap" and sent and not a.sae_where("rx") and a.state not in OK_STATES:
        return a.timeout[1] if a.timeout else sent[-1].index
    return None


def _confirm_mismatch(a: Attempt) -> int | None:
    if a.mode == "ap":
        rej = [f for f in a.sae_where("tx", "confirm") if f.status != 0]
        return rej[0].index if rej else None
    rejected = a.sae_where("rx", "confirm", None)
    rejected = [f for f in rejected if f.status != 0]
    if rejected and not a.sae_where("rx", "confirm", (0,)):
        return rejected[0].index
    if a.sae_where("tx", "confirm") and not a.sae_where("rx", "confirm") and a.closed_by != "end of capture":
        return a.timeout[1] if a.timeout else a.sae_where("tx", "confirm")[-1].index
    return None


def _driver_connect_failed(a: Attempt) -> int | None:
    return a.connect_index if a.mode == "fullmac" and a.connect_status not in (None, 0) else None


def _e_driver(a: Attempt, i: int | None) -> str:
    how = "ran SAE itself (SAE_PASSWORD in CONNECT)" if a.sae_password else "ran authentication and association itself"
    return (f"The driver {how} and reported failure with {_status(a.connect_status)} ({_t(a, i)}). nl80211 carries "
            "nothing of the exchange in this mode, so the reason is not in this capture: a wrong password is the "
            "common cause; a capture over the air (--air) or the driver's log shows the frames.")


def _assoc_rejected(a: Attempt) -> int | None:
    if a.assoc_status not in (None, 0):
        return a.assoc_index
    if a.connect_status not in (None, 0) and a.mode in ("external-auth", "fullmac"):
        return a.connect_index
    if a.timeout and a.timeout[0] == "ASSOC_TIMEOUT":
        return a.timeout[1]
    return None


def _four_way_failed(a: Attempt) -> int | None:
    connected = a.connect_status == 0 or (a.mode == "ap" and a.state.startswith("4way"))
    if connected and a.state not in OK_STATES and a.disconnect is not None:
        return a.disconnect["index"]
    return None


def pmkid_check(a: Attempt) -> dict | None:
    """PMKID = L((own scalar + peer scalar) mod r, 0, 128), compared with what association/EAPoL carry."""
    ours = [f for f in a.sae if f.message == "commit" and f.status in (0, 126, 127) and f.scalar]
    tx = [f for f in ours if f.direction == "tx"]
    rx = [f for f in ours if f.direction == "rx"]
    if not tx or not rx or tx[-1].group != rx[-1].group:
        return None
    group = GROUPS.get(tx[-1].group or 0)
    order = group.curve.n if group and group.curve else group.order if group else None
    if order is None:
        return None
    total = (int.from_bytes(tx[-1].scalar, "big") + int.from_bytes(rx[-1].scalar, "big")) % order
    expected = total.to_bytes(group.order_len, "big")[:16].hex()
    seen = a.eapol_pmkid or (a.pmkids[-1] if a.pmkids and a.mode != "external-auth" else None)
    if seen is None:
        return {"expected": expected, "seen": None, "match": None}
    return {"expected": expected, "seen": seen, "match": seen == expected}


def _pmkid_mismatch(a: Attempt) -> int | None:
    if a.pmkid_check and a.pmkid_check.get("match") is False:
        return a.eapol.get("4-way message 1") or a.assoc_index
    return None


def _ok(a: Attempt) -> int | None:
    return -1 if a.state in OK_STATES else None


def _incomplete(a: Attempt) -> int | None:
    return a.end_index if a.end_index is not None else a.start_index


# -- explanations ---------------------------------------------------------------

def _e_pmksa(a: Attempt, i: int | None) -> str:
    cached = (f"The CONNECT request offered a cached PMKID ({a.pmkids[0]}), so the supplicant meant to skip SAE "
              "and use its PMKSA cache. " if a.pmkid_offered else "")
    told = (f"It answered with EXTERNAL_AUTH status {_status(a.report_status)} ({_t(a, a.report_index)}) "
            "without ever sending an SAE commit." if a.report_index is not None else
            "It never sent an SAE commit nor reported a status.")
    return (f"{cached}The firmware still asked for SAE with an EXTERNAL_AUTH event ({_t(a, a.ext_start)}). {told} "
            "The driver then fails the connection (brcmfmac logs 'External authentication failed: status=1') "
            "and the link ends up without an address. This is the failure of the brcmfmac/iwd thread: the "
            "firmware cannot use the host's PMKSA, so SAE must run whenever it asks.")


def _e_report(a: Attempt, i: int | None) -> str:
    msg = f" Extended ACK: {a.report_ext_msg!r}." if a.report_ext_msg else ""
    return (f"SAE was reported with EXTERNAL_AUTH status {_status(a.report_status)} ({_t(a, a.report_index)}) "
            f"and the kernel answered {describe_errno(a.report_errno or 0)} ({_t(a, i)}).{msg} The driver "
            "rejected the status report itself, so the firmware never learned the SAE outcome. With brcmfmac, "
            "-52 (EBADE) comes from the firmware rejecting the size of the external-auth parameters "
            "(the struct-size bug fixed in 'brcmfmac: Fix structure size for WPA3 external SAE').")


def _air_sentence(a: Attempt) -> str:
    """What the over-the-air capture adds, when there is one."""
    if a.air is None:
        return ""
    ours = a.air["our_sae"]
    sent = sum(x["on_air"] for x in ours)
    acked = sum(x["acked"] for x in ours)
    missing = a.air["our_sae_not_on_air"]
    parts = [f" On the air: the station's SAE frames were transmitted {sent} time(s), {acked} ACKed"
             + (f"; message(s) {', '.join(map(str, missing))} never appeared on the air" if missing else "") + "."]
    undelivered = a.air["peer_sae_undelivered"]
    if undelivered:
        first = undelivered[0]
        parts.append(f" The AP did answer on the air ({first['message']} status {first['status']} at "
                     f"+{(first['time'] - a.start_time) * 1000:.1f} ms, {len(undelivered)} frame(s)) but the "
                     "driver never delivered it to the supplicant.")
    elif not a.air["peer_sae_on_air"]:
        parts.append(" No frame from the AP appeared on the air either.")
    return "".join(parts)


def _e_commit_not_acked(a: Attempt, i: int | None) -> str:
    n = len(a.commits_sent)
    return (f"{n} SAE commit{'s' if n > 1 else ''} went out and every TX status said not acknowledged "
            f"(last at {_t(a, i)}); nothing came back from {a.ap or 'the AP'}. The AP did not hear the station: "
            "out of range, wrong channel, or the firmware sent the frame on the wrong channel or not at all."
            + _air_sentence(a))


def _e_no_peer_commit(a: Attempt, i: int | None) -> str:
    if a.air is not None:
        if a.air["peer_sae_undelivered"]:
            return (f"The station sent {len(a.commits_sent)} SAE commit(s) and no AP frame reached the supplicant."
                    + _air_sentence(a) + " This is the external-auth offload (firmware/driver) not passing the "
                    "AP's Authentication frames up.")
        return (f"The station sent {len(a.commits_sent)} SAE commit(s); the AP never answered." + _air_sentence(a)
                + " The AP is gone, busy or ignoring this station.")
    acked = [f for f in a.commits_sent if f.acked]
    if a.mode == "external-auth" and acked:
        return (f"The SAE commit was acknowledged on the air ({_t(a, acked[-1].index)}) but no frame from the AP "
                "was ever delivered to the supplicant. The AP most likely answered and the driver/firmware did "
                "not forward its Authentication frames (external-auth offload not passing RX frames up).")
    timeout = f" and the kernel reported an authentication timeout ({_t(a, a.timeout[1])})" if a.timeout else ""
    return (f"The station sent {len(a.commits_sent)} SAE commit(s){timeout}; the AP never answered with a commit "
            "of its own. The AP is gone, busy or ignoring this station.")


def _e_confirm(a: Attempt, i: int | None) -> str:
    if a.mode == "ap":
        return (f"The AP rejected the station's confirm ({_t(a, i)}): the confirm did not verify, which means the "
                "two sides derived different keys - a wrong password (or password identifier) on the station.")
    rej = [f for f in a.sae_where("rx", "confirm") if f.status != 0]
    what = (f"the AP rejected our confirm with {_status(rej[0].status)}" if rej else
            "the AP never sent its confirm")
    return (f"Commits were exchanged and our confirm went out, but {what} ({_t(a, i)}). The confirm proves "
            "knowledge of the password: the two sides derived different keys. Most often the password is "
            "wrong; also check the password identifier and that both sides use the same PWE method "
            "(hunting-and-pecking or hash-to-element).")


def _e_unsupported(a: Attempt, i: int | None) -> str:
    tried = ", ".join(map(str, a.groups_tried)) or "none"
    return (f"The AP refused every finite cyclic group the station offered (groups tried: {tried}; status 77 at "
            f"{_t(a, i)}). Configure a group both sides support (19 is mandatory for WPA3-Personal).")


def _e_anticlog(a: Attempt, i: int | None) -> str:
    return (f"The AP answered {a.anti_clogging_rounds} commits with anti-clogging token requests (status 76) "
            "and never accepted one. The token is not being echoed correctly, or the AP is under load.")


def _e_h2e(a: Attempt, i: int | None) -> str:
    if a.mode == "scan-only":
        bss = a.scan["sae_bss"]
        if bss.get("h2e_only"):
            why = ("the AP advertises the SAE hash-to-element-only membership selector, so it accepts only H2E; "
                   "a station configured for hunting-and-pecking (wpa_supplicant sae_pwe=0, older firmware) "
                   "skips it without sending anything")
        elif not bss.get("h2e"):
            why = ("the AP offers only hunting-and-pecking (no H2E bit in its RSNXE); a station that requires "
                   "hash-to-element (wpa_supplicant sae_pwe=1) skips it without sending anything")
        else:
            why = "the AP offers H2E; the station may be configured for a PWE method the AP does not allow"
        return (f"The station scanned {a.scan['count']} times and saw the SAE network {a.ssid!r} "
                f"({bss.get('bssid')}) but never started authentication: {why}.")
    return ("The two sides used different password element methods (one commit with status 0 = hunting-and-"
            "pecking, the other with status 126 = hash-to-element), so their keys cannot match.")


def _e_assoc(a: Attempt, i: int | None) -> str:
    if a.assoc_status not in (None, 0):
        code = a.assoc_status
    else:
        code = a.connect_status
    extra = ""
    if code == 53:
        extra = (" Status 53 means the AP no longer knows the PMKID the station offered (a stale PMKSA cache "
                 "entry, e.g. after the AP restarted); the station should drop it and run SAE again.")
    if a.mode == "external-auth" and code == 16:
        extra = (" brcmfmac reports status 16 for every failed connection, so this code says little; the "
                 "steps before it did not show an SAE problem.")
    if a.timeout and a.timeout[0] == "ASSOC_TIMEOUT" and code is None:
        return f"Authentication succeeded but association timed out ({_t(a, i)})."
    return f"Authentication succeeded but association failed with {_status(code)} ({_t(a, i)}).{extra}"


def _e_four_way(a: Attempt, i: int | None) -> str:
    seen = ", ".join(sorted(k[-1] for k in a.eapol if k.startswith("4-way"))) or "none"
    reason = a.disconnect.get("reason") if a.disconnect else None
    return (f"Association succeeded but the 4-way handshake did not complete (messages seen: {seen}); the link "
            f"was torn down at {_t(a, i)}" + (f" with reason {reason}" if reason else "") +
            ". A wrong PSK/PMK on one side (for SAE: a PMK the AP does not share) shows up here.")


def _e_pmkid(a: Attempt, i: int | None) -> str:
    c = a.pmkid_check or {}
    return (f"The PMKID the AP used ({c.get('seen')}) differs from the one the SAE exchange defines "
            f"({c.get('expected')}, the first 16 octets of the sum of both scalars). The sides disagree about "
            "which PMK they share.")


def _e_ok(a: Attempt, i: int | None) -> str:
    parts = []
    if len(a.groups_tried) > 1:
        parts.append(f"groups tried {', '.join(map(str, a.groups_tried))}")
    if a.anti_clogging_rounds:
        parts.append(f"{a.anti_clogging_rounds} anti-clogging round(s)")
    if a.mode == "softmac-open" and a.pmkid_offered:
        parts.append("PMKSA caching: Open System authentication with the cached PMKID, no SAE needed")
    how = f" ({'; '.join(parts)})" if parts else ""
    return f"Authentication, association and the 4-way handshake completed{how}."


def _e_no_commit(a: Attempt, i: int | None) -> str:
    return (f"The firmware asked for SAE ({_t(a, a.ext_start)}) but the supplicant never sent a commit"
            + (f" and reported status {_status(a.report_status)}" if a.report_index is not None else "") +
            ". Check that the supplicant supports external authentication for this driver.")


def _e_request(a: Attempt, i: int | None) -> str:
    cmd, errno, _ = a.request_errors[0]
    return f"The kernel refused the {cmd} request with {describe_errno(errno)} ({_t(a, i)})."


def _e_incomplete(a: Attempt, i: int | None) -> str:
    return (f"The capture ends in the middle of the attempt (last step: {a.state.replace('_', ' ')}, "
            f"{_t(a, i)}). Capture longer to see how it ends.")


VERDICTS: list[Verdict] = [
    Verdict("firmware-aborted", "The firmware aborted external authentication", _firmware_aborted,
            lambda a, i: f"The driver sent EXTERNAL_AUTH with action ABORT ({_t(a, i)}): the firmware gave up "
                         "on SAE before the supplicant finished.",
            "Check the firmware version; look at the driver log for the reason of the abort."),
    Verdict("status-report-rejected", "The kernel rejected the SAE status report", _report_rejected, _e_report,
            "Update the kernel/driver (brcmfmac: the external SAE struct-size fix), or the vendor firmware."),
    Verdict("request-rejected", "The kernel refused a request", _request_rejected, _e_request,
            "The errno says why; often a missing driver feature or a request made in the wrong state."),
    Verdict("pmksa-instead-of-sae", "The supplicant used its PMKSA cache while the firmware asked for SAE",
            _pmksa_instead_of_sae, _e_pmksa,
            "Fixed on the supplicant side: run SAE when EXTERNAL_AUTH arrives even with a cached PMKSA (iwd "
            "patch in the thread), or forget the network's PMKSA before connecting (e.g. restart iwd)."),
    Verdict("no-commit-sent", "The supplicant never sent an SAE commit", _no_commit_sent, _e_no_commit,
            "Use a supplicant with external-auth support for FullMAC drivers (iwd >= 2.x, wpa_supplicant with "
            "the driver's external auth)."),
    Verdict("commit-not-acked", "SAE commits were never acknowledged", _commit_not_acked, _e_commit_not_acked,
            "Move closer, check the channel and regulatory domain, try another firmware."),
    Verdict("unsupported-group", "No SAE group both sides support", _unsupported_group, _e_unsupported,
            "Allow group 19 on both sides (sae_groups in hostapd/wpa_supplicant)."),
    Verdict("anti-clogging-loop", "Stuck in anti-clogging token requests", _anti_clogging_loop, _e_anticlog,
            "Check that the station echoes the token (firmware/supplicant bug) or the AP's "
            "sae_anti_clogging_threshold."),
    Verdict("h2e-mismatch", "SAE password element method mismatch (H2E vs hunting-and-pecking)", _h2e_mismatch,
            _e_h2e, "Make both sides agree: sae_pwe=2 (both) on the AP and the station is the safe setting."),
    Verdict("no-peer-commit", "The AP's SAE commit never arrived", _no_peer_commit, _e_no_peer_commit,
            "With brcmfmac external auth: update firmware/driver so RX Authentication frames reach user space; "
            "otherwise check the AP."),
    Verdict("confirm-mismatch", "SAE confirm failed: the two sides derived different keys", _confirm_mismatch,
            _e_confirm, "Re-enter the password; check the password identifier and the sae_pwe settings."),
    Verdict("driver-connect-failed", "The driver's own authentication or association failed",
            _driver_connect_failed, _e_driver,
            "Check the password; capture over the air or read the driver log to see the exchange."),
    Verdict("assoc-rejected", "SAE succeeded but association failed", _assoc_rejected, _e_assoc,
            "Compare the association request's RSN element and PMKID with what the AP expects."),
    Verdict("four-way-failed", "The 4-way handshake failed after association", _four_way_failed, _e_four_way,
            "Check the PMK: stale PMKSA entries, or a password that differs between SAE and the 4-way."),
    Verdict("pmkid-mismatch", "The PMKID does not match the SAE exchange", _pmkid_mismatch, _e_pmkid,
            "Clear the PMKSA cache on both sides and reconnect."),
    Verdict("ok", "Connected", _ok, _e_ok, ""),
    Verdict("incomplete", "The capture ends mid-attempt", _incomplete, _e_incomplete, "Capture for longer."),
]
VERDICT_IDS = [v.id for v in VERDICTS]


def decide(a: Attempt) -> None:
    """Name the attempt with the first verdict whose evidence is present."""
    a.pmkid_check = pmkid_check(a)
    if a.mode == "scan-only" and _h2e_mismatch(a) is None:
        a.verdict, a.title = "no-attempt", "The station never tried to join"
        a.explanation = "The station scanned but never started authentication."
        a.advice = "Check the network configuration on the station."
        return
    for v in VERDICTS:
        index = v.test(a)
        if index is not None:
            a.verdict, a.title, a.advice = v.id, v.title, v.advice
            a.first_divergence = None if v.id == "ok" else index
            a.explanation = v.explain(a, index)
            return

"""Log lines -> sequencer events: the words of :mod:`.state` for what a journal or daemon log says.

One table, :data:`LOG_WORDS`, maps a log event's kind (``textlog.patterns.KINDS``)
to the word it stands for.  Beside a capture a log line is evidence placed on
the attempt it speaks about (it never moves the machine: the capture's own
messages do); read alone, its words drive the same machine.  Kinds that name
no step of an attempt but settle what a capture leaves open (why a station
skipped a network, why an AP dropped a confirm) become the word ``LOG_FACT``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..sae.body import SaeBody
from ..textlog.log_event import LogEvent
from .events import Event
from .state import AUTH_TIMEOUT, COMMIT_OK, SUCCESS

# Kinds that are facts for the explanation rather than steps (see verdicts: they settle candidates).
FACT_KINDS = frozenset({
    "bss_skipped", "h2e_disabled", "network_not_found", "sae_verify_failed", "sae_confirm_mismatch",
    "sae_unexpected_status", "sae_unknown_password_id", "sae_no_pmksa", "pmksa_used", "pmksa_found",
    "external_auth_expected", "ssid_temp_disabled", "ip_address", "fw_error", "handshake_failed",
    "sae_group_rejected", "sae_token_requested", "knob",
})


# Log facts worth showing beside an attempt's ladder (the rest are steps, or context a reader can grep for).
SHOWN_FACTS = frozenset({
    "bss_skipped", "h2e_disabled", "network_not_found", "sae_verify_failed", "sae_confirm_mismatch",
    "sae_unexpected_status", "sae_unknown_password_id", "sae_no_pmksa", "pmksa_used", "pmksa_found",
    "ssid_temp_disabled", "ip_address", "handshake_failed", "external_auth_error", "sae_group_rejected",
})


def _sae(seq: int, status: int | None, fields: dict[str, Any]) -> SaeBody:
    body = SaeBody(seq, status if status is not None else 0)
    body.group = fields.get("group")
    body.send_confirm = fields.get("send_confirm")
    return body


def _commit(sender: str) -> Callable[[LogEvent, Event], None]:
    def fill(le: LogEvent, ev: Event) -> None:
        status = le.fields.get("status")
        ok = status is None or status in COMMIT_OK
        ev.word = f"{sender}_COMMIT" if ok else f"{sender}_REJECT"
        ev.sae, ev.status = _sae(1, status, le.fields), status
    return fill


def _confirm(sender: str) -> Callable[[LogEvent, Event], None]:
    def fill(le: LogEvent, ev: Event) -> None:
        status = le.fields.get("status")
        ev.word = f"{sender}_CONFIRM" if status in (None, SUCCESS) else f"{sender}_REJECT"
        ev.sae, ev.status = _sae(2, status, le.fields), status
    return fill


def _word(word: str, **fixed: Any) -> Callable[[LogEvent, Event], None]:
    def fill(le: LogEvent, ev: Event) -> None:
        ev.word = word
        for k, v in fixed.items():
            setattr(ev, k, v)
        f = le.fields
        if "status" in f and ev.status is None:
            ev.status = f["status"]
        if "reason" in f:
            ev.reason = f["reason"]
        if "errno" in f:
            ev.errno = f["errno"]
    return fill


def _eapol(by_ap_when_rx: bool) -> Callable[[LogEvent, Event], None]:
    def fill(le: LogEvent, ev: Event) -> None:
        ev.word, ev.eapol = "EAPOL", str(le.fields.get("msg", "?"))
        ev.by_ap = by_ap_when_rx
    return fill


def _disconnected(le: LogEvent, ev: Event) -> None:
    ev.word, ev.reason = "DISCONNECT", le.fields.get("reason")
    ev.by_ap = bool(le.fields.get("from_ap")) or le.fields.get("locally_generated") is False


def _connect_result(le: LogEvent, ev: Event) -> None:
    result = le.fields.get("result", le.fields.get("status"))
    ev.word = "LOG_FACT" if result in (None, 0) else "GAVE_UP"
    ev.status = result


def _fw_event(le: LogEvent, ev: Event) -> None:
    f = le.fields
    if f.get("event") == "DEAUTH_IND":
        ev.word, ev.reason, ev.by_ap = "DEAUTH", f.get("reason"), True
    elif f.get("event") == "LINK" and f.get("flags") == 1:
        ev.word, ev.status = "ASSOC_RESP", 0  # brcmfmac's link up: the firmware associated
    else:
        ev.word = "LOG_FACT"


# An RSN element handed to the firmware (brcmfmac "wpaie") with a PMKID list is 18 octets longer than without:
# iwd's are 22 and 40 octets with their headers (the real logs), wpa_supplicant's 28 and 46.
WPAIE_WITH_PMKID = (40, 46)


def _fw_iovar(le: LogEvent, ev: Event) -> None:
    ev.word = "LOG_FACT"
    if le.fields.get("name") == "wpaie" and le.fields.get("len") in WPAIE_WITH_PMKID:
        ev.pmkids = ("(a PMKID, by the RSN element's length)",)


def _tx_status(ev: Event, ack: Any) -> None:
    ev.word, ev.ack = "TX_STATUS", ack in (True, 1, "1", "true")


def _assoc_reject(le: LogEvent, ev: Event) -> None:
    ev.word, ev.status = "ASSOC_RESP", le.fields.get("status")


# (side, kind) -> how the event is filled in; side is the log line's ("station" or "ap")
LOG_WORDS: dict[tuple[str, str], Callable[[LogEvent, Event], None]] = {
    ("station", "connect_start"): _word("TRY_START", mode="softmac-sae"),
    ("station", "auth_start"): _word("TRY_START", mode="softmac-sae"),
    ("station", "assoc_start"): _word("ASSOC_START", mode="fullmac"),  # SoftMAC: its association; FullMAC: CONNECT
    ("station", "fw_connect"): _word("CONNECT_REQ", mode="fullmac"),
    ("station", "external_auth_request"): lambda le, ev: _word(
        "EXT_AUTH_ABORT" if le.fields.get("action") == 1 or str(le.fields.get("action_name", "")).lower() == "abort"
        else "EXT_AUTH_START", mode="external-auth")(le, ev),
    ("station", "external_auth_notify"): _word("EXT_AUTH_START", mode="external-auth"),
    ("station", "external_auth_status"): _word("EXT_AUTH_REPORT", mode="external-auth"),
    ("station", "external_auth_error"): _word("ANSWER", cmd="EXTERNAL_AUTH"),
    ("station", "sae_commit_tx"): _commit("STA"),
    ("station", "sae_commit_rx"): _commit("AP"),
    ("station", "sae_confirm_tx"): _confirm("STA"),
    ("station", "sae_confirm_rx"): _confirm("AP"),
    ("station", "external_auth_frame_tx"): _word("STA_FRAME"),
    ("station", "auth_timeout"): _word("AUTH_TIMEOUT"),
    ("station", "assoc_timeout"): _word("ASSOC_TIMEOUT"),
    ("station", "join_timeout"): _word("CONNECT_RESULT", status=AUTH_TIMEOUT, timed_out=True),
    ("station", "assoc_reject"): _assoc_reject,
    ("station", "assoc_response"): _word("ASSOC_RESP"),
    ("station", "associated"): _word("ASSOC_RESP", status=SUCCESS),
    ("station", "connect_result"): _connect_result,
    ("station", "connect_event"): _word("CONNECT_SEEN"),  # iwd: "the kernel's CONNECT event", no status
    ("station", "connect_failed"): _word("GAVE_UP"),
    ("station", "eapol_rx"): _eapol(True),
    ("station", "eapol_tx"): _eapol(False),
    ("station", "handshake_complete"): _word("AUTHORIZED"),
    ("station", "connected"): _word("AUTHORIZED"),
    ("station", "disconnected"): _disconnected,
    ("station", "auth_tx_status"): lambda le, ev: _tx_status(ev, le.fields.get("ack")),
    ("station", "fw_mgmt_tx_status"): lambda le, ev: _tx_status(ev, le.fields.get("ack")),
    ("station", "deauth_rx"): _word("DEAUTH", by_ap=True),
    ("station", "fw_event"): _fw_event,
    ("station", "fw_iovar"): _fw_iovar,
    ("ap", "sae_commit_rx"): _commit("STA"),
    ("ap", "sae_commit_tx"): _commit("AP"),
    ("ap", "sae_confirm_rx"): _confirm("STA"),
    ("ap", "sae_confirm_tx"): _confirm("AP"),
    ("ap", "assoc_response"): _word("ASSOC_RESP"),
    ("ap", "eapol_tx"): _eapol(True),
    ("ap", "eapol_rx"): _eapol(False),
    ("ap", "ap_sta_connected"): _word("AUTHORIZED"),
    ("ap", "ap_deauth"): _word("DEAUTH", by_ap=True),
    ("ap", "ap_sta_disconnected"): _word("DEAUTH"),
}


def prepare(events: list[LogEvent]) -> list[LogEvent]:
    """What a whole log says that single lines do not: the SAE group a commit line leaves out, and
    whether iwd's bare "an SAE frame went out" lines are the only word on its SAE (else they repeat it)."""
    detailed = any(le.kind in ("sae_commit_tx", "sae_confirm_tx") for le in events)
    requested = any(le.kind == "external_auth_request" for le in events)  # then the notifications repeat it
    group: dict[str, int] = {}
    out = []
    for le in events:
        if (le.kind == "external_auth_frame_tx" and detailed) or (le.kind == "external_auth_notify" and requested):
            continue
        if le.kind in ("sae_group", "sae_group_rejected") and "group" in le.fields:
            group[le.side] = le.fields["group"]
        elif le.kind == "sae_commit_tx" and "group" not in le.fields and le.side in group:
            le = LogEvent(le.kind, le.source, le.side, le.time, le.clock, le.line, le.text, le.iface, le.peer,
                          le.bssid, {**le.fields, "group": group[le.side]})
        out.append(le)
    return out


def log_event(le: LogEvent, name: str, time: float, index: int) -> Event | None:
    """The sequencer event for one log line (on the capture's clock), or None when it names no step or fact.

    ``name`` is the log's name for citing it (``client.log``); ``index`` the
    message the line follows in the capture (or the line number, read alone).
    """
    side = "ap" if le.side == "ap" else "station"
    fill = LOG_WORDS.get((side, le.kind))
    if fill is None and le.kind not in FACT_KINDS:
        return None
    peer = le.peer or le.bssid
    ev = Event("LOG_FACT", index, time, None, owner="ap" if side == "ap" else "sta", source=name, line=le.line,
               text=f"{le.kind}: {le.text}")
    if side == "ap":
        ev.sta = le.peer
    else:
        ev.ap = peer
    if fill is not None:
        fill(le, ev)
    ev.log = {"kind": le.kind, **le.fields}  # what the line says, for the verdicts that read log facts
    if ev.ssid is None:
        ev.ssid = le.fields.get("ssid")
    return ev


# A capture's events as the log vocabulary names the same moments (for the clock offset): side -> word -> kind.
_POINTS: dict[str, dict[str, Callable[[Event], str | None]]] = {
    "station": {
        "STA_COMMIT": lambda ev: "sae_commit_tx", "STA_CONFIRM": lambda ev: "sae_confirm_tx",
        "AP_COMMIT": lambda ev: "sae_commit_rx", "AP_CONFIRM": lambda ev: "sae_confirm_rx",
        "AP_REJECT": lambda ev: "sae_confirm_rx" if getattr(ev.sae, "seq", 1) == 2 else "sae_commit_rx",
        "CONNECT_REQ": lambda ev: "assoc_start", "EXT_AUTH_START": lambda ev: "external_auth_request",
        "EXT_AUTH_REPORT": lambda ev: "external_auth_status",
        "CONNECT_RESULT": lambda ev: "connect_event" if not ev.status else "assoc_reject",
        "ASSOC_RESP": lambda ev: "associated" if not ev.status else "assoc_reject",
        "EAPOL": lambda ev: "eapol_rx" if ev.by_ap else "eapol_tx",
        "DISCONNECT": lambda ev: "disconnected", "AUTHORIZED": lambda ev: "connected",
    },
    "ap": {
        "STA_COMMIT": lambda ev: "sae_commit_rx", "STA_CONFIRM": lambda ev: "sae_confirm_rx",
        "AP_COMMIT": lambda ev: "sae_commit_tx", "AP_CONFIRM": lambda ev: "sae_confirm_tx",
        "AP_REJECT": lambda ev: "sae_confirm_tx" if getattr(ev.sae, "seq", 1) == 2 else "sae_commit_tx",
        "EAPOL": lambda ev: "eapol_tx" if ev.by_ap else "eapol_rx",
        "AUTHORIZED": lambda ev: "ap_sta_connected",
    },
}


def capture_point(ev: Event, ap_side: bool) -> tuple[str, str, float] | None:
    """(side, log kind, time) for a capture event a log would also show, else None."""
    side = "ap" if ap_side else "station"
    rule = _POINTS[side].get(ev.word)
    kind = rule(ev) if rule is not None else None
    return (side, kind, ev.time) if kind is not None else None

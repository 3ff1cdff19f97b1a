"""The flows a connection attempt is expected to follow, as tables.

Everything that decides how an attempt advances lives here, in the style of
h11's ``_state.py``: one table per mode, ``state -> {event label -> next
state}``.  An event a state does not list is a *divergence* (the sequencer
records the first one); labels in ``QUIET`` never advance or diverge.  This
file does not know about netlink: labels come from :func:`label`.

The external-auth table reads like the kernel's contract for FullMAC SAE
offload (cfg80211_external_auth_request, nl80211.h "external authentication"):

1. user space asks to CONNECT, saying it can do EXTERNAL_AUTH;
2. the driver asks for SAE with an EXTERNAL_AUTH event (action START);
3. user space sends commit and confirm with CMD_FRAME, the driver reports
   each with FRAME_TX_STATUS and hands the AP's frames up as FRAME events;
4. user space reports the outcome with an EXTERNAL_AUTH request + status;
5. the driver associates and sends a CONNECT event; the 4-way handshake
   follows over the control port.
"""

from __future__ import annotations

from .events import Event

# The good terminal state of the state machine (verdicts are decided from facts).
DONE_OK = "authorized"

_FOURWAY = {
    "associated": {"EAPOL_1": "4way_1", "AUTHORIZED": DONE_OK},
    "4way_1": {"EAPOL_1": "4way_1", "EAPOL_2": "4way_2", "CONNECTED": "4way_1"},
    "4way_2": {"EAPOL_3": "4way_3", "EAPOL_1": "4way_1"},
    "4way_3": {"EAPOL_4": "4way_4", "EAPOL_3": "4way_3"},
    "4way_4": {"AUTHORIZED": DONE_OK, "EAPOL_G1": "4way_4", "EAPOL_G2": "4way_4"},
    DONE_OK: {"EAPOL_G1": DONE_OK, "EAPOL_G2": DONE_OK, "AUTHORIZED": DONE_OK},
}

_SAE = {  # shared by external auth (CMD_FRAME) and SoftMAC (CMD_AUTHENTICATE)
    "sae_requested": {"COMMIT_TX": "commit_sent"},
    "commit_sent": {"PEER_COMMIT": "commit_exchanged", "COMMIT_TX": "commit_sent",
                    "PEER_ANTI_CLOGGING": "sae_requested", "PEER_UNSUPPORTED_GROUP": "sae_requested"},
    "commit_exchanged": {"CONFIRM_TX": "confirm_sent", "PEER_COMMIT": "commit_exchanged",
                         "COMMIT_TX": "commit_exchanged"},
    "confirm_sent": {"PEER_CONFIRM": "confirmed", "CONFIRM_TX": "confirm_sent", "PEER_COMMIT": "confirm_sent"},
}

TRANSITIONS: dict[str, dict[str, dict[str, str]]] = {
    "external-auth": {
        "connecting": {"EXT_AUTH_START": "sae_requested", "CONNECT_ACKED": "connecting"},
        **_SAE,
        "sae_requested": {**_SAE["sae_requested"], "EXT_AUTH_START": "sae_requested"},
        "confirmed": {"REPORT_SUCCESS": "reported"},
        "reported": {"REPORT_ACKED": "report_accepted"},
        "report_accepted": {"CONNECTED": "associated", "EAPOL_1": "4way_1"},
        **_FOURWAY,
    },
    "softmac-sae": {
        "sae_requested": {"COMMIT_TX": "commit_sent"},
        **{k: v for k, v in _SAE.items() if k != "sae_requested"},
        # iwmon can lose the ASSOCIATE request (the kernel clears it before the
        # copy), so the response may follow the confirm directly
        "confirmed": {"ASSOC_REQ": "associating", "ASSOC_OK": "assoc_ok"},
        "associating": {"ASSOC_OK": "assoc_ok"},
        "assoc_ok": {"CONNECTED": "associated", "EAPOL_1": "4way_1"},
        **_FOURWAY,
    },
    "softmac-open": {
        "auth_sent": {"AUTH_OK": "authenticated"},
        "authenticated": {"ASSOC_REQ": "associating", "ASSOC_OK": "assoc_ok"},
        "associating": {"ASSOC_OK": "assoc_ok"},
        "assoc_ok": {"CONNECTED": "associated", "EAPOL_1": "4way_1"},
        **_FOURWAY,
    },
    "fullmac": {  # the driver runs SAE itself (SAE_PASSWORD in CONNECT) or another auth
        "connecting": {"CONNECTED": "associated", "CONNECT_ACKED": "connecting"},
        **_FOURWAY,
    },
    "ap": {  # hostapd's view of one station
        "sae_requested": {"PEER_COMMIT": "commit_received", "COMMIT_TX": "sae_requested",
                          "PEER_CONFIRM": "sae_requested", "AUTH_OK": "open_auth"},
        "open_auth": {"AUTH_OPEN_TX": "authenticated"},
        "authenticated": {"ASSOC_OK": "confirmed"},
        "commit_received": {"COMMIT_TX": "commit_exchanged", "PEER_COMMIT": "commit_received"},
        "commit_exchanged": {"PEER_CONFIRM": "confirm_received", "PEER_COMMIT": "commit_exchanged",
                             "COMMIT_TX": "commit_exchanged"},
        "confirm_received": {"CONFIRM_TX": "confirmed"},
        "confirmed": {"EAPOL_1": "4way_1", "AUTHORIZED": DONE_OK, "ASSOC_OK": "confirmed"},
        **_FOURWAY,
    },
}

INITIAL = {"external-auth": "connecting", "softmac-sae": "sae_requested", "softmac-open": "auth_sent",
           "fullmac": "connecting", "ap": "sae_requested", "scan-only": "scanning"}

# Labels that never advance or diverge: they are recorded on the ladder only.
QUIET = {"TX_ACKED", "TX_NOT_ACKED", "CONNECT_ACKED", "ASSOC_REQ_ACKED", "AUTH_ACKED", "FRAME_ACKED",
         "SCAN", "SCAN_BSS", "IFTYPE", "EAPOL_G1", "EAPOL_G2", "REQUEST_ACKED"}


def label(ev: Event) -> str:
    """The table word for an event (its kind refined by content)."""
    info = ev.info
    k = ev.kind
    if k in ("AUTH_TX", "AUTH_RX") and info.get("frame") in ("ASSOC_RESP", "REASSOC_RESP"):
        return "ASSOC_OK" if info.get("status") == 0 else "ASSOC_REJECTED"
    if k in ("AUTH_TX", "AUTH_RX") and info.get("frame") in ("DEAUTH", "DISASSOC"):
        return "DISCONNECTED"
    if k == "TX_STATUS" and info.get("frame") != "AUTH":
        return "TX_ACKED" if info.get("ack") else "TX_NOT_ACKED"
    if k in ("AUTH_TX", "AUTH_RX", "TX_STATUS") and info.get("frame") == "AUTH":
        sae = info.get("sae")
        if k == "TX_STATUS":
            return "TX_ACKED" if info.get("ack") else "TX_NOT_ACKED"
        if sae is None:
            return ("AUTH_OPEN_TX" if k == "AUTH_TX" else
                    "AUTH_OK" if info.get("status") == 0 else "AUTH_REJECTED")
        if k == "AUTH_TX":
            return "COMMIT_TX" if sae.seq == 1 else "CONFIRM_TX"
        return _peer_sae(sae)
    if k == "AUTH_REQ":
        sae = info.get("sae")
        if info.get("auth_type") == 4 and sae is not None:
            return "COMMIT_TX" if sae.seq == 1 else "CONFIRM_TX"
        return "AUTH_OPEN_TX"
    if k == "ASSOC_RX":
        return "ASSOC_OK" if info.get("status") == 0 else "ASSOC_REJECTED"
    if k == "CONNECT_EVENT":
        return "CONNECTED" if info.get("status") == 0 and not info.get("timed_out") else "CONNECT_FAILED"
    if k == "EXT_AUTH_REPORT":
        return "REPORT_SUCCESS" if info.get("status") == 0 else "REPORT_FAILURE"
    if k == "ANSWER":
        ok = info["errno"] == 0
        if info["cmd"] == "EXTERNAL_AUTH":
            return "REPORT_ACKED" if ok else "REPORT_ERROR"
        return f"{info['cmd']}_ACKED".replace("AUTHENTICATE", "AUTH").replace("ASSOCIATE", "ASSOC_REQ") \
            if ok else "REQUEST_ERROR"
    if k == "EAPOL":
        msg = info["message"]
        if msg.startswith("4-way message "):
            return f"EAPOL_{msg[-1]}"
        return "EAPOL_G1" if msg.endswith("1") else "EAPOL_G2"
    return k


def _peer_sae(sae) -> str:
    if sae.seq == 1:
        if sae.status in (0, 126, 127):
            return "PEER_COMMIT"
        if sae.status == 76:
            return "PEER_ANTI_CLOGGING"
        if sae.status == 77:
            return "PEER_UNSUPPORTED_GROUP"
        return "PEER_REJECT"
    return "PEER_CONFIRM" if sae.status == 0 else "PEER_REJECT"


def advance(mode: str, state: str, word: str) -> str | None:
    """Next state, the same state for quiet words, or None for a divergence."""
    if word in QUIET:
        return state
    return TRANSITIONS.get(mode, {}).get(state, {}).get(word)

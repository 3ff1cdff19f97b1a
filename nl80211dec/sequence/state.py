"""Everything that decides how an attempt advances, ends and is split, as tables.

Rules of this file (in the spirit of h11's ``_state.py``): it does not know
about netlink or log lines, only *words* (:mod:`.events` turns messages into
words); it does not know whose attempt it is, because the words say who sent
what (``STA_`` the station, ``AP_`` the access point); and code exists only
for what a table cannot say, next to the table it serves.

Theory of operation.  An attempt is a set of evidence, not a path: every word
proves that the exchange reached some *stage* (:data:`STAGE_OF`), and the
attempt's stage is the furthest one proven.  A capture that lost or zeroed a
message (iwmon does) therefore cannot leave the machine stuck: the next
evidence moves it on, and the gap is reported against :data:`FLOWS`, the
order the kernel's external-auth contract and IEEE 802.11's SAE exchange
expect.  An attempt *ends* with the first ending word seen after its last
progress (:data:`ENDINGS`): what follows it is its consequence (brcmfmac's
CONNECT status 16 after the AP's rejection, a refused retry after a timeout);
when there is none, with why it was closed (a new attempt, silence while the
capture went on, the real end of the capture).
:data:`STARTS` says which words open a new attempt.  Verdicts are read from
(stage, ending, evidence) in :mod:`.verdicts`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..sae.body import COMMIT_STATUSES, STATUS_ANTI_CLOGGING, STATUS_H2E, STATUS_SUCCESS, STATUS_UNSUPPORTED_GROUP
from ..wire.ieee80211 import STATUS_CODES
from .events import Event

if TYPE_CHECKING:
    from .attempt import Attempt

# -- stages --------------------------------------------------------------------

STAGES = ("none", "scan", "connect", "commit", "commit-exchanged", "confirm", "confirmed", "associated",
          "4way-1", "4way-2", "4way-3", "4way-4", "authorized")
RANK = {s: i for i, s in enumerate(STAGES)}
CONNECTED = RANK["4way-4"]  # message 4 exists only if message 3 verified: the keys match

# IEEE 802.11 status codes, by their names in the generated table (SAE's from sae/body.py).
SUCCESS = STATUS_SUCCESS
AUTH_TIMEOUT = next(c for c, n in STATUS_CODES.items() if n == "AUTH_TIMEOUT")  # brcmfmac's CONNECT status
TOKEN_REQUIRED = STATUS_ANTI_CLOGGING  # anti-clogging token requested: the exchange goes on
GROUP_REFUSED = STATUS_UNSUPPORTED_GROUP  # finite cyclic group not supported: the station may try another
SAE_H2E = STATUS_H2E
COMMIT_OK = COMMIT_STATUSES  # SAE statuses that carry a commit (not a rejection): success, H2E, SAE-PK


def _assoc(ev: Event) -> str | None:
    return "associated" if ev.status == SUCCESS else None


def _eapol(ev: Event) -> str | None:
    return f"4way-{ev.eapol}" if ev.eapol in ("1", "2", "3", "4") else None


# word -> the stage this evidence proves (None: proves nothing about progress)
STAGE_OF: dict[str, Callable[[Event], str | None] | str] = {
    "SCAN_BSS": "scan",
    "CONNECT_REQ": "connect",
    "EXT_AUTH_START": "connect",
    # the supplicant reports success only after the AP's confirm verified: it proves both confirms
    "EXT_AUTH_REPORT": lambda ev: "confirmed" if ev.status == SUCCESS else None,
    "STA_COMMIT": "commit",
    "AP_COMMIT": "commit-exchanged",
    "STA_CONFIRM": "confirm",
    "AP_CONFIRM": "confirmed",
    "AP_REJECT": lambda ev: "confirm" if getattr(ev.sae, "seq", 1) == 2 else "commit",  # it answers our frame
    "STA_OPEN_AUTH": "connect",
    "TRY_START": "connect",  # a log's "trying to authenticate/connect"
    "AP_OPEN_AUTH": lambda ev: "confirmed" if ev.status == SUCCESS else None,  # Open System + cached PMKSA
    "ASSOC_REQ": "confirmed",  # a station asks to associate only once authenticated
    "ASSOC_RESP": _assoc,
    "CONNECT_RESULT": _assoc,
    "EAPOL": _eapol,
    "AUTHORIZED": "authorized",
}


def stage_of(ev: Event) -> str | None:
    rule = STAGE_OF.get(ev.word)
    if rule is None or isinstance(rule, str):
        return rule
    return rule(ev)


# -- how an attempt ends -----------------------------------------------------------

# Ending kinds (what ends an attempt) and close kinds (why it was closed when nothing ended it).
ENDING_KINDS = ("peer-rejected", "refused", "aborted", "local-give-up", "timeout", "disconnect")
CLOSE_KINDS = ("new-attempt", "silence", "capture-end", "evicted")  # why an attempt was closed, when nothing ended it


def _peer_rejected(ev: Event) -> bool:
    return ev.status not in (None, 0)


# word -> (ending kind, does this event end the attempt?)
ENDINGS: dict[str, tuple[str, Callable[[Event], bool]]] = {
    "AP_REJECT": ("peer-rejected", lambda ev: True),
    "AP_OPEN_AUTH": ("peer-rejected", _peer_rejected),
    "ASSOC_RESP": ("peer-rejected", _peer_rejected),
    "ANSWER": ("refused", lambda ev: bool(ev.errno)),
    "EXT_AUTH_ABORT": ("aborted", lambda ev: True),
    "EXT_AUTH_REPORT": ("local-give-up", lambda ev: ev.status not in (None, 0)),
    "DEAUTH_REQ": ("local-give-up", lambda ev: True),
    "STA_REJECT": ("local-give-up", lambda ev: True),
    "AUTH_TIMEOUT": ("timeout", lambda ev: True),
    "ASSOC_TIMEOUT": ("timeout", lambda ev: True),
    "CONNECT_RESULT": ("timeout", lambda ev: ev.status not in (None, 0) or bool(ev.timed_out)),
    "DISCONNECT": ("disconnect", lambda ev: True),
    "GAVE_UP": ("local-give-up", lambda ev: True),  # a log: the supplicant ended the try
    "DEAUTH": ("disconnect", lambda ev: True),
}


def ending_of(ev: Event) -> str | None:
    rule = ENDINGS.get(ev.word)
    return rule[0] if rule is not None and rule[1](ev) else None


# Nothing about an attempt for this long while the capture goes on is silence, not "the capture ends".
SILENCE_S = 5.0
# An attempt silent this long is closed while the stream goes on (live use, bounded memory).
CLOSE_AFTER_S = 120.0
# ... and one that has already ended this long (a verdict printed live soon after a failure).
ENDED_CLOSE_S = 20.0

# -- the expected flows (what a complete attempt shows, in order) -----------------
#
# Used to name what a capture lost: evidence of a later stage without the
# words before it.  External auth follows the kernel's contract
# (cfg80211_external_auth_request, nl80211.h "external authentication"):
# CONNECT with EXTERNAL_AUTH_SUPPORT, the driver's EXTERNAL_AUTH start, commit
# and confirm through CMD_FRAME with FRAME_TX_STATUS, the status report, then
# the CONNECT event and the 4-way handshake.  SoftMAC SAE follows IEEE
# 802.11-2020 12.4.8 through CMD_AUTHENTICATE and CMD_ASSOCIATE.
FLOWS: dict[str, tuple[str, ...]] = {
    "external-auth": ("CONNECT_REQ", "EXT_AUTH_START", "STA_COMMIT", "AP_COMMIT", "STA_CONFIRM", "AP_CONFIRM",
                      "EXT_AUTH_REPORT", "CONNECT_RESULT", "EAPOL"),
    "softmac-sae": ("STA_COMMIT", "AP_COMMIT", "STA_CONFIRM", "AP_CONFIRM", "ASSOC_REQ", "ASSOC_RESP", "EAPOL"),
    "softmac-open": ("STA_OPEN_AUTH", "AP_OPEN_AUTH", "ASSOC_REQ", "ASSOC_RESP", "EAPOL"),
    "fullmac": ("CONNECT_REQ", "CONNECT_RESULT", "EAPOL"),
    "ap": ("STA_COMMIT", "AP_COMMIT", "STA_CONFIRM", "AP_CONFIRM", "ASSOC_RESP", "EAPOL"),
}

# -- where attempts begin ----------------------------------------------------------
#
# word -> does it open a new attempt while ``cur`` is open?  The new attempt's
# mode is the event's ``mode`` (the classifier knows the carrier: CONNECT,
# CMD_AUTHENTICATE, CMD_FRAME).  A station-side word of :data:`OPENERS` or
# :data:`RESYNC` with no attempt open always opens one: the request that began
# it may be missing from the capture.
STARTS: dict[str, Callable[[Attempt, Event], bool]] = {
    "CONNECT_REQ": lambda cur, ev: cur.tried_anything(),  # after a log's "connecting to": the same try
    "EXT_AUTH_START": lambda cur, ev: cur.mode != "external-auth" or cur.tried_anything(),
    "STA_OPEN_AUTH": lambda cur, ev: cur.mode != ev.mode or cur.rank > RANK["connect"] or cur.tried_anything(),
    "STA_COMMIT": lambda cur, ev: cur.fresh_commit(ev),
    "TRY_START": lambda cur, ev: cur.sae_finished(),  # wpa_supplicant logs it before its confirm too
    # the AP answering again with no frame of ours in between: the capture lost our next try
    "AP_COMMIT": lambda cur, ev: cur.answers_a_lost_frame(ev),
    "AP_CONFIRM": lambda cur, ev: cur.answers_a_lost_frame(ev),
    "AP_REJECT": lambda cur, ev: cur.answers_a_lost_frame(ev),
}
OPENERS = set(STARTS)
# (a log's ASSOC_START becomes ASSOC_REQ or CONNECT_REQ, and iwd's STA_FRAME a commit or a confirm, in the sequencer)
# Evidence from the middle of an exchange that opens an attempt when none is open.  EAPoL and port
# authorization do not: alone they are a rekey or a connection made before the capture began.
RESYNC = {"AP_COMMIT", "STA_CONFIRM", "AP_CONFIRM", "AP_REJECT", "AP_OPEN_AUTH", "ASSOC_REQ", "ASSOC_RESP",
          "CONNECT_RESULT", "EXT_AUTH_REPORT"}

# Words recorded on the ladder that never move an attempt on.
QUIET = {"TX_STATUS", "ANSWER", "SCAN", "IFTYPE", "CLEARED_REQ", "LOG_FACT"}

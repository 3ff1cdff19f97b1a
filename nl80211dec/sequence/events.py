"""Decoded messages -> sequencer events: what happened, in the words of :mod:`.state`.

One table, :data:`CLASSIFIERS`, maps (command, role) to a small function;
the sequencer sees only :class:`Event` objects and never a netlink
attribute.  Events carry plain values (no message objects), so an attempt
that keeps them holds little memory.  Words say who sent a frame (``STA_`` /
``AP_``), decided from the interface's role and the frame's direction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..netlink.message import Message
from ..sae.body import COMMIT_STATUSES, STATUS_SUCCESS, sae_in

ZERO = "00:00:00:00:00:00"
IFTYPE_AP = 3


@dataclass(slots=True)
class Event:
    """One piece of evidence: a word, where it came from (message index or log line), and its facts."""

    word: str
    index: int  # message index; a log event carries the index of the message before it (or -1)
    time: float
    ifindex: int | None = None
    sta: str | None = None  # the station's address, when the event names it
    ap: str | None = None  # the AP's address (BSSID), when the event names it
    owner: str | None = None  # "sta" or "ap": whose nl80211 socket this came through (None: not known)
    mode: str | None = None  # the kind of attempt this event would open (see state.STARTS)
    status: int | None = None
    reason: int | None = None
    errno: int | None = None
    cmd: str | None = None  # for answers: the request's command
    reply_to: int | None = None
    ack: bool | None = None
    timed_out: bool | None = None
    by_ap: bool | None = None
    sae: Any = None  # the decoded SAE body (commit/confirm/rejection)
    raw: bytes | None = None  # the frame's bytes, for TX-status matching
    eapol: str | None = None  # "1".."4" (4-way) or "G1"/"G2"
    pmkid: str | None = None  # a PMKID this event carries (EAPoL 1 KDE)
    pmkids: tuple[str, ...] = ()  # PMKIDs offered (CONNECT / ASSOCIATE / Association Request)
    ssid: str | None = None
    freq: int | None = None
    auth_type: str | None = None
    akm: str | None = None
    akm_raw: bytes | None = None
    external_auth: bool = False
    sae_password: bool = False
    text: str | None = None  # free words for the ladder (e.g. the errno name) or a log line
    bss: dict[str, Any] | None = None  # scan result facts
    source: str | None = None  # None: the capture; else the log's name
    line: int | None = None  # the log line or the text-capture line
    log: dict[str, Any] | None = None  # a log line's kind and fields (textlog.patterns.KINDS)


def _pmkids(msg: Message, *names: str) -> tuple[str, ...]:
    out: list[str] = []
    pmkid = msg.get("PMKID")
    if pmkid is not None and pmkid.raw:
        out.append(pmkid.raw.hex())
    for name in names:
        attr = msg.get(name)
        rsn = attr.decoded.find("RSN") if attr is not None and attr.decoded is not None else None
        if rsn is not None:
            out.extend(rsn.fields.get("pmkids", []))
    return tuple(out)


def _text(msg: Message, name: str) -> str | None:
    a = msg.get(name)
    return a.text if a is not None and a.text is not None else (None if a is None else str(a.value))


def _sae_word(sender: str, sae: Any) -> str:
    if sae.seq == 1 and sae.status in COMMIT_STATUSES:
        return f"{sender}_COMMIT"
    if sae.seq == 2 and sae.status == STATUS_SUCCESS:
        return f"{sender}_CONFIRM"
    return f"{sender}_REJECT"


def _frame_event(msg: Message, ifindex: int | None, owner: str | None) -> list[Event]:
    """An 802.11 frame carried in ATTR_FRAME: who sent it follows from the direction and the owner's role."""
    attr = msg.get("FRAME")
    frame = attr.decoded if attr is not None else None
    name = getattr(frame, "subtype_name", None)
    if attr is None or frame is None or name not in ("AUTH", "ASSOC_REQ", "REASSOC_REQ", "ASSOC_RESP",
                                                     "REASSOC_RESP", "DEAUTH", "DISASSOC"):
        return []
    sa, da, bssid = frame.addr("SA"), frame.addr("DA"), frame.addr("BSSID")
    tx = msg.role == "request" or msg.cmd_name == "FRAME_TX_STATUS"
    if owner is None:  # no interface type seen: the addresses tell (brcmfmac zeroes A3 on RX: a station)
        owner = "ap" if bssid not in (None, ZERO) and (sa == bssid if tx else da == bssid) else "sta"
    sender = ("AP" if owner == "ap" else "STA") if tx else ("STA" if owner == "ap" else "AP")
    sta, ap = (da, sa) if sender == "AP" else (sa, da)
    if bssid not in (None, ZERO):
        ap = bssid
    ev = Event("", msg.index, msg.timestamp, ifindex, sta=sta, ap=ap, owner=owner,
               mode="ap" if owner == "ap" else "external-auth", raw=bytes(attr.raw))
    if msg.cmd_name == "FRAME_TX_STATUS":
        ev.word, ev.ack = "TX_STATUS", msg.get("ACK") is not None
        return [ev]
    status = frame.numbers.get("status")
    if name == "AUTH":
        sae = frame.sae
        if sae is not None:
            ev.word, ev.sae, ev.status = _sae_word(sender, sae), sae, sae.status
        else:
            ev.word = f"{sender}_OPEN_AUTH"
            ev.status = status if sender == "AP" else None
            ev.mode = "ap" if owner == "ap" else "softmac-open"
    elif name in ("ASSOC_REQ", "REASSOC_REQ"):
        ev.word = "ASSOC_REQ"
        rsn = frame.elements.find("RSN") if frame.elements is not None else None
        ev.pmkids = tuple(rsn.fields.get("pmkids", [])) if rsn is not None else ()
    elif name in ("ASSOC_RESP", "REASSOC_RESP"):
        ev.word, ev.status = "ASSOC_RESP", status
    else:
        ev.word, ev.reason, ev.by_ap = "DEAUTH", frame.numbers.get("reason"), sender == "AP"
    return [ev]


def _connect_request(msg: Message, ifindex: int | None, owner: str | None) -> list[Event]:
    akm = msg.get("AKM_SUITES")
    external = msg.get("EXTERNAL_AUTH_SUPPORT") is not None
    return [Event("CONNECT_REQ", msg.index, msg.timestamp, ifindex, ap=msg.value("MAC") or msg.value("MAC_HINT"),
                  owner="sta", mode="external-auth" if external else "fullmac", ssid=msg.value("SSID"),
                  freq=msg.value("WIPHY_FREQ") or msg.value("WIPHY_FREQ_HINT"), auth_type=_text(msg, "AUTH_TYPE"),
                  akm=akm.text if akm is not None else None, external_auth=external,
                  sae_password=msg.get("SAE_PASSWORD") is not None, pmkids=_pmkids(msg, "IE"))]


def _connect_event(msg: Message, ifindex: int | None, owner: str | None) -> list[Event]:
    status = msg.value("STATUS_CODE")
    timed_out = msg.get("TIMED_OUT") is not None
    return [Event("CONNECT_RESULT", msg.index, msg.timestamp, ifindex, ap=msg.value("MAC"), owner="sta",
                  status=status if status is not None else (16 if timed_out else 0), timed_out=timed_out,
                  pmkids=_pmkids(msg, "REQ_IE"))]


def _external_auth_event(msg: Message, ifindex: int | None, owner: str | None) -> list[Event]:
    action = msg.value("EXTERNAL_AUTH_ACTION")
    akm = msg.get("AKM_SUITES")
    word = "EXT_AUTH_ABORT" if action == 1 else "EXT_AUTH_START"
    return [Event(word, msg.index, msg.timestamp, ifindex, ap=msg.value("BSSID"), owner="sta",
                  mode="external-auth", ssid=msg.value("SSID"), akm=akm.text if akm is not None else None,
                  akm_raw=bytes(akm.raw) if akm is not None else None,
                  text=akm.note if akm is not None else None)]


def _external_auth_request(msg: Message, ifindex: int | None, owner: str | None) -> list[Event]:
    return [Event("EXT_AUTH_REPORT", msg.index, msg.timestamp, ifindex, ap=msg.value("BSSID"), owner="sta",
                  mode="external-auth", status=msg.value("STATUS_CODE"), pmkids=_pmkids(msg))]


ANSWERED = ("EXTERNAL_AUTH", "CONNECT", "AUTHENTICATE", "ASSOCIATE", "FRAME", "DEAUTHENTICATE")


def _answer(msg: Message, ifindex: int | None, owner: str | None) -> list[Event]:
    """ACKs and errors to the requests the sequencer follows (routed by the request they answer)."""
    if msg.cmd_name not in ANSWERED or msg.reply_to is None:
        return []
    e = msg.error
    return [Event("ANSWER", msg.index, msg.timestamp, ifindex, cmd=msg.cmd_name, reply_to=msg.reply_to,
                  errno=e.errno if e is not None else 0, text=e.ext_msg if e is not None else None)]


def _authenticate_request(msg: Message, ifindex: int | None, owner: str | None) -> list[Event]:
    data = msg.get("AUTH_DATA")
    sae = sae_in(data.decoded) if data is not None else None
    ev = Event("STA_OPEN_AUTH", msg.index, msg.timestamp, ifindex, ap=msg.value("MAC"), owner="sta",
               mode="softmac-open", ssid=msg.value("SSID"), freq=msg.value("WIPHY_FREQ"),
               auth_type=_text(msg, "AUTH_TYPE"))
    if msg.value("AUTH_TYPE") == 4:
        ev.mode = "softmac-sae"
        if sae is None:
            return []  # SAE without a body to read (FILS-like use of AUTH_DATA, or cut)
        ev.word, ev.sae, ev.status = _sae_word("STA", sae), sae, sae.status
    return [ev]


def _mlme_event(timeout_word: str) -> Callable[[Message, int | None, str | None], list[Event]]:
    def classify(msg: Message, ifindex: int | None, owner: str | None) -> list[Event]:
        if msg.get("TIMED_OUT") is not None:
            return [Event(timeout_word, msg.index, msg.timestamp, ifindex, ap=msg.value("MAC"), owner="sta")]
        events = _frame_event(msg, ifindex, "sta")
        for ev in events:  # CMD_AUTHENTICATE/ASSOCIATE carry SoftMAC (mac80211) SME frames
            ev.mode = "softmac-open" if ev.word.endswith("OPEN_AUTH") else "softmac-sae"
        return events
    return classify


def _associate_request(msg: Message, ifindex: int | None, owner: str | None) -> list[Event]:
    return [Event("ASSOC_REQ", msg.index, msg.timestamp, ifindex, ap=msg.value("MAC"), owner="sta",
                  ssid=msg.value("SSID"), pmkids=_pmkids(msg, "IE"))]


def _eapol(msg: Message, ifindex: int | None, owner: str | None) -> list[Event]:
    attr = msg.get("FRAME")
    e = attr.decoded if attr is not None else msg.eapol
    if e is None or not getattr(e, "handshake", None):
        return []
    pmkid = None
    if e.key_data_elements is not None:
        for el in e.key_data_elements.elements:
            if el.eid == 221 and el.data[:4] == b"\x00\x0f\xac\x04" and len(el.data) >= 20:
                pmkid = el.data[4:20].hex()
    hs = e.handshake
    number = hs[-1] if hs.startswith("4-way message ") else ("G1" if hs.endswith("1") else "G2")
    return [Event("EAPOL", msg.index, msg.timestamp, ifindex, owner=owner, eapol=number, pmkid=pmkid,
                  sta=msg.value("MAC") if owner == "ap" else None, ap=msg.value("MAC") if owner == "sta" else None,
                  by_ap=number in ("1", "3", "G1"))]


def _disconnect(msg: Message, ifindex: int | None, owner: str | None) -> list[Event]:
    local = msg.role == "request"
    return [Event("DEAUTH_REQ" if local else "DISCONNECT", msg.index, msg.timestamp, ifindex, ap=msg.value("MAC"),
                  owner="sta", reason=msg.value("REASON_CODE"), by_ap=msg.get("DISCONNECTED_BY_AP") is not None,
                  text=_text(msg, "REASON_CODE"))]


def _port_authorized(msg: Message, ifindex: int | None, owner: str | None) -> list[Event]:
    return [Event("AUTHORIZED", msg.index, msg.timestamp, ifindex, ap=msg.value("MAC"), owner="sta")]


def _set_station(msg: Message, ifindex: int | None, owner: str | None) -> list[Event]:
    flags = msg.get("STA_FLAGS2")
    if flags is None or not isinstance(flags.value, dict):
        return []
    if flags.value["mask"] & flags.value["set"] & 0x2:  # bit 1: AUTHORIZED
        mac = msg.value("MAC")
        return [Event("AUTHORIZED", msg.index, msg.timestamp, ifindex, owner=owner,
                      sta=mac if owner == "ap" else None, ap=mac if owner != "ap" else None, text="SET_STATION")]
    return []


def _interface(msg: Message, ifindex: int | None, owner: str | None) -> list[Event]:
    iftype = msg.value("IFTYPE")
    if ifindex is None or iftype is None:
        return []
    return [Event("IFTYPE", msg.index, msg.timestamp, ifindex, status=iftype, sta=msg.value("MAC"))]


def _start_ap(msg: Message, ifindex: int | None, owner: str | None) -> list[Event]:
    return [Event("IFTYPE", msg.index, msg.timestamp, ifindex, status=IFTYPE_AP)]


def _scan_results(msg: Message, ifindex: int | None, owner: str | None) -> list[Event]:
    bss = msg.get("BSS")
    if bss is None:
        return []
    ies = bss.get("INFORMATION_ELEMENTS") or bss.get("BEACON_IES")
    if ies is None or ies.decoded is None:
        return []
    el = ies.decoded
    rsn, rsnx, ssid = el.find("RSN"), el.find("RSNX"), el.find("SSID")
    akms = rsn.fields.get("akms", []) if rsn is not None else []
    mfp = rsn.fields.get("mfp") if rsn is not None else None
    rates = [r for e in el.elements if e.name in ("SUPP_RATES", "EXT_SUPP_RATES") for r in e.data]
    bssid = bss.get("BSSID")
    info: dict[str, Any] = {
            "bssid": bssid.value if bssid is not None else None,
            "ssid": ssid.fields.get("ssid") if ssid is not None else None,
            "sae": any("(SAE)" in a or "FT_OVER_SAE" in a for a in akms),
            "h2e": bool(rsnx is not None and rsnx.fields.get("sae_h2e")),
            "h2e_only": 0xFB in rates,
            "mfp_required": mfp == "required", "mfp_capable": mfp in ("required", "capable")}
    return [Event("SCAN_BSS", msg.index, msg.timestamp, ifindex, ap=info["bssid"], ssid=info["ssid"], bss=info)]


def _cleared(msg: Message, ifindex: int | None, owner: str | None) -> list[Event]:
    return [Event("CLEARED_REQ", msg.index, msg.timestamp, None)] if msg.notes else []


Classifier = Callable[[Message, "int | None", "str | None"], list[Event]]

CLASSIFIERS: dict[tuple[str, str], Classifier] = {
    ("CONNECT", "request"): _connect_request,
    ("CONNECT", "event"): _connect_event,
    ("EXTERNAL_AUTH", "event"): _external_auth_event,
    ("EXTERNAL_AUTH", "request"): _external_auth_request,
    ("FRAME", "request"): _frame_event,
    ("FRAME", "event"): _frame_event,
    ("FRAME_TX_STATUS", "event"): _frame_event,
    ("AUTHENTICATE", "request"): _authenticate_request,
    ("AUTHENTICATE", "event"): _mlme_event("AUTH_TIMEOUT"),
    ("ASSOCIATE", "request"): _associate_request,
    ("ASSOCIATE", "event"): _mlme_event("ASSOC_TIMEOUT"),
    ("CONTROL_PORT_FRAME", "request"): _eapol,
    ("CONTROL_PORT_FRAME", "event"): _eapol,
    ("EAPOL", "eapol"): _eapol,
    ("DISCONNECT", "event"): _disconnect,
    ("DEAUTHENTICATE", "request"): _disconnect,
    ("PORT_AUTHORIZED", "event"): _port_authorized,
    ("SET_STATION", "request"): _set_station,
    ("NEW_INTERFACE", "reply"): _interface,
    ("NEW_INTERFACE", "event"): _interface,
    ("START_AP", "request"): _start_ap,
    ("NEW_SCAN_RESULTS", "reply"): _scan_results,
    ("TRIGGER_SCAN", "request"): lambda m, i, o: [Event("SCAN", m.index, m.timestamp, i)],
    ("UNSPEC", "request"): _cleared,
}
for _cmd in ANSWERED:
    CLASSIFIERS[(_cmd, "ack")] = _answer
    CLASSIFIERS[(_cmd, "error")] = _answer


def classify(msg: Message, iftypes: dict[int, int] | None = None) -> list[Event]:
    """The sequencer events one message stands for (none for most messages).

    ``iftypes`` (ifindex -> nl80211 iftype, as seen so far) says whether a
    frame went through an AP's socket or a station's.
    """
    if msg.duplicate_of is not None:
        return []  # a second delivery of the same event says nothing new
    fn = CLASSIFIERS.get((msg.cmd_name, msg.role))
    if fn is None:
        return []
    value = msg.value("IFINDEX")
    ifindex = value if isinstance(value, int) else None
    owner = None
    if ifindex is not None and iftypes is not None and ifindex in iftypes:
        owner = "ap" if iftypes[ifindex] == IFTYPE_AP else "sta"
    return fn(msg, ifindex, owner)

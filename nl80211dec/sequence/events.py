"""Decoded messages -> sequencer events: what happened, in protocol words.

One table, :data:`CLASSIFIERS`, maps (command, role) to a small function; the
sequencer sees only :class:`Event` objects and never a netlink attribute.
Events carry plain values (no message objects), so an attempt that keeps
them holds little memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..netlink.message import Message
from ..sae.body import sae_in

ZERO = "00:00:00:00:00:00"


@dataclass(slots=True)
class Event:
    kind: str
    index: int
    time: float
    ifindex: int | None
    peer: str | None = None  # the other station's address (AP seen from a client, client seen from an AP)
    info: dict[str, Any] = field(default_factory=dict)


def _pmkids(msg: Message, *names: str) -> list[str]:
    out = []
    pmkid = msg.get("PMKID")
    if pmkid is not None and pmkid.raw:
        out.append(pmkid.raw.hex())
    for name in names:
        attr = msg.get(name)
        rsn = attr.decoded.find("RSN") if attr is not None and attr.decoded is not None else None
        if rsn is not None:
            out.extend(rsn.fields.get("pmkids", []))
    return out


def _auth_frame_event(msg: Message, attr_name: str, kind_tx: str, kind_rx: str, ifindex: int | None) -> list[Event]:
    attr = msg.get(attr_name)
    frame = attr.decoded if attr is not None else None
    if frame is None or getattr(frame, "subtype_name", None) not in ("AUTH", "ASSOC_RESP", "REASSOC_RESP",
                                                                      "DEAUTH", "DISASSOC"):
        return []
    sa, da, bssid = frame.addr("SA"), frame.addr("DA"), frame.addr("BSSID")
    from_ap = sa == bssid
    info: dict[str, Any] = {"frame": frame.subtype_name, "sa": sa, "da": da, "bssid": bssid,
                            "from_ap": from_ap, "raw": bytes(attr.raw)}
    if frame.subtype_name == "AUTH":
        alg = frame.fields.get("algorithm", "")
        info["algorithm"] = alg
        info["status"] = frame.numbers.get("status", 0)
        sae = frame.sae
        if sae is not None:
            info["sae"] = sae
    elif frame.subtype_name in ("ASSOC_RESP", "REASSOC_RESP"):
        info["status"] = frame.numbers.get("status", 0)
        if frame.elements is not None:
            rsn = frame.elements.find("RSN")
            info["rsn"] = rsn.fields if rsn is not None else None
    else:
        info["reason"] = frame.fields.get("reason")
        info["reason_code"] = frame.numbers.get("reason")
    if msg.role == "request":
        kind = kind_tx
    elif msg.cmd_name == "FRAME_TX_STATUS":
        kind = "TX_STATUS"
        info["ack"] = msg.get("ACK") is not None
        info["cookie"] = msg.value("COOKIE")
    else:
        kind = kind_rx
    peer = da if msg.role == "request" or kind == "TX_STATUS" else sa
    return [Event(kind, msg.index, msg.timestamp, ifindex, peer, info)]


def _connect_request(msg: Message, ifindex: int | None) -> list[Event]:
    akm = msg.get("AKM_SUITES")
    info = {
        "ssid": msg.value("SSID"), "bssid": msg.value("MAC") or msg.value("MAC_HINT"),
        "freq": msg.value("WIPHY_FREQ") or msg.value("WIPHY_FREQ_HINT"),
        "auth_type": msg.get("AUTH_TYPE").text if msg.get("AUTH_TYPE") is not None else None,
        "akm": akm.text if akm is not None else None,
        "external_auth": msg.get("EXTERNAL_AUTH_SUPPORT") is not None,
        "sae_password": msg.get("SAE_PASSWORD") is not None,
        "pmkids": _pmkids(msg, "IE"),
    }
    return [Event("CONNECT_REQ", msg.index, msg.timestamp, ifindex, info["bssid"], info)]


def _connect_event(msg: Message, ifindex: int | None) -> list[Event]:
    status = msg.value("STATUS_CODE")
    info = {"status": status if status is not None else (1 if msg.get("TIMED_OUT") else 0),
            "timed_out": msg.get("TIMED_OUT") is not None, "bssid": msg.value("MAC"),
            "pmkids": _pmkids(msg, "REQ_IE"), "has_ies": msg.get("RESP_IE") is not None}
    return [Event("CONNECT_EVENT", msg.index, msg.timestamp, ifindex, msg.value("MAC"), info)]


def _external_auth_event(msg: Message, ifindex: int | None) -> list[Event]:
    action = msg.value("EXTERNAL_AUTH_ACTION")
    akm = msg.get("AKM_SUITES")
    info = {"bssid": msg.value("BSSID"), "ssid": msg.value("SSID"), "akm": akm.text if akm else None,
            "akm_note": akm.note if akm else None, "action": action}
    kind = "EXT_AUTH_ABORT" if action == 1 else "EXT_AUTH_START"
    return [Event(kind, msg.index, msg.timestamp, ifindex, info["bssid"], info)]


def _external_auth_request(msg: Message, ifindex: int | None) -> list[Event]:
    status = msg.value("STATUS_CODE")
    info = {"status": status, "bssid": msg.value("BSSID"), "pmkid": msg.get("PMKID") is not None}
    return [Event("EXT_AUTH_REPORT", msg.index, msg.timestamp, ifindex, info["bssid"], info)]


def _answer(msg: Message, ifindex: int | None) -> list[Event]:
    """ACKs and errors to the requests the sequencer follows."""
    if msg.cmd_name not in ("EXTERNAL_AUTH", "CONNECT", "AUTHENTICATE", "ASSOCIATE", "FRAME"):
        return []
    errno = msg.error.errno if msg.error is not None else 0
    info = {"cmd": msg.cmd_name, "errno": errno, "errno_name": msg.error.errno_name if msg.error else "OK",
            "reply_to": msg.reply_to, "ext_msg": msg.error.ext_msg if msg.error else None}
    return [Event("ANSWER", msg.index, msg.timestamp, ifindex, None, info)]


def _authenticate_request(msg: Message, ifindex: int | None) -> list[Event]:
    auth_type = msg.value("AUTH_TYPE")
    data = msg.get("AUTH_DATA")
    info = {"auth_type": auth_type, "auth_type_text": msg.get("AUTH_TYPE").text if msg.get("AUTH_TYPE") else None,
            "sae": sae_in(data.decoded) if data is not None else None, "ssid": msg.value("SSID"),
            "freq": msg.value("WIPHY_FREQ"), "bssid": msg.value("MAC")}
    return [Event("AUTH_REQ", msg.index, msg.timestamp, ifindex, msg.value("MAC"), info)]


def _mlme_event(kind_timeout: str, kind_frame: str) -> Callable[[Message, int | None], list[Event]]:
    def classify(msg: Message, ifindex: int | None) -> list[Event]:
        if msg.get("TIMED_OUT") is not None:
            return [Event(kind_timeout, msg.index, msg.timestamp, ifindex, msg.value("MAC"), {})]
        return _auth_frame_event(msg, "FRAME", kind_frame, kind_frame, ifindex)
    return classify


def _associate_request(msg: Message, ifindex: int | None) -> list[Event]:
    info = {"bssid": msg.value("MAC"), "ssid": msg.value("SSID"), "pmkids": _pmkids(msg, "IE")}
    return [Event("ASSOC_REQ", msg.index, msg.timestamp, ifindex, msg.value("MAC"), info)]


def _eapol(msg: Message, ifindex: int | None) -> list[Event]:
    attr = msg.get("FRAME")
    e = attr.decoded if attr is not None else msg.eapol
    if e is None or not getattr(e, "handshake", None):
        return []
    pmkid = None
    if e.key_data_elements is not None:
        for el in e.key_data_elements.elements:
            if el.eid == 221 and el.data[:4] == b"\x00\x0f\xac\x04" and len(el.data) >= 20:
                pmkid = el.data[4:20].hex()
    info = {"message": e.handshake, "outgoing": msg.role == "request", "peer": msg.value("MAC"), "pmkid": pmkid}
    return [Event("EAPOL", msg.index, msg.timestamp, ifindex, msg.value("MAC"), info)]


def _disconnect(msg: Message, ifindex: int | None) -> list[Event]:
    reason = msg.get("REASON_CODE")
    info = {"reason": reason.text if reason is not None else None, "reason_code": msg.value("REASON_CODE"),
            "by_ap": msg.get("DISCONNECTED_BY_AP") is not None, "local": msg.role == "request"}
    return [Event("DISCONNECT", msg.index, msg.timestamp, ifindex, msg.value("MAC"), info)]


def _port_authorized(msg: Message, ifindex: int | None) -> list[Event]:
    return [Event("AUTHORIZED", msg.index, msg.timestamp, ifindex, msg.value("MAC"), {})]


def _set_station(msg: Message, ifindex: int | None) -> list[Event]:
    flags = msg.get("STA_FLAGS2")
    if flags is None or not isinstance(flags.value, dict):
        return []
    if flags.value["mask"] & flags.value["set"] & 0x2:  # bit 1: AUTHORIZED
        return [Event("AUTHORIZED", msg.index, msg.timestamp, ifindex, msg.value("MAC"), {"via": "SET_STATION"})]
    return []


def _interface(msg: Message, ifindex: int | None) -> list[Event]:
    if ifindex is None or msg.value("IFTYPE") is None:
        return []
    return [Event("IFTYPE", msg.index, msg.timestamp, ifindex, None,
                  {"iftype": msg.value("IFTYPE"), "mac": msg.value("MAC")})]


def _start_ap(msg: Message, ifindex: int | None) -> list[Event]:
    return [Event("IFTYPE", msg.index, msg.timestamp, ifindex, None, {"iftype": 3, "mac": None})]


def _scan_results(msg: Message, ifindex: int | None) -> list[Event]:
    bss = msg.get("BSS")
    if bss is None:
        return []
    ies = bss.get("INFORMATION_ELEMENTS") or bss.get("BEACON_IES")
    if ies is None or ies.decoded is None:
        return []
    el = ies.decoded
    rsn, rsnx, ssid = el.find("RSN"), el.find("RSNX"), el.find("SSID")
    akms = rsn.fields.get("akms", []) if rsn is not None else []
    rates = [r for e in el.elements if e.name in ("SUPP_RATES", "EXT_SUPP_RATES") for r in e.data]
    bssid = bss.get("BSSID")
    info = {"bssid": bssid.value if bssid is not None else None,
            "ssid": ssid.fields.get("ssid") if ssid is not None else None,
            "sae": any("(SAE)" in a or "FT_OVER_SAE" in a for a in akms),
            "h2e": bool(rsnx is not None and rsnx.fields.get("sae_h2e")),
            "h2e_only": 0xFB in rates}
    return [Event("SCAN_BSS", msg.index, msg.timestamp, ifindex, info["bssid"], info)]


CLASSIFIERS: dict[tuple[str, str], Callable[[Message, int | None], list[Event]]] = {
    ("CONNECT", "request"): _connect_request,
    ("CONNECT", "event"): _connect_event,
    ("EXTERNAL_AUTH", "event"): _external_auth_event,
    ("EXTERNAL_AUTH", "request"): _external_auth_request,
    ("FRAME", "request"): lambda m, i: _auth_frame_event(m, "FRAME", "AUTH_TX", "AUTH_RX", i),
    ("FRAME", "event"): lambda m, i: _auth_frame_event(m, "FRAME", "AUTH_TX", "AUTH_RX", i),
    ("FRAME_TX_STATUS", "event"): lambda m, i: _auth_frame_event(m, "FRAME", "AUTH_TX", "AUTH_RX", i),
    ("AUTHENTICATE", "request"): _authenticate_request,
    ("AUTHENTICATE", "event"): _mlme_event("AUTH_TIMEOUT", "AUTH_RX"),
    ("ASSOCIATE", "request"): _associate_request,
    ("ASSOCIATE", "event"): _mlme_event("ASSOC_TIMEOUT", "ASSOC_RX"),
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
    ("TRIGGER_SCAN", "request"): lambda m, i: [Event("SCAN", m.index, m.timestamp, i)],
}
for _cmd in ("EXTERNAL_AUTH", "CONNECT", "AUTHENTICATE", "ASSOCIATE", "FRAME"):
    CLASSIFIERS[(_cmd, "ack")] = _answer
    CLASSIFIERS[(_cmd, "error")] = _answer


def classify(msg: Message) -> list[Event]:
    """The sequencer events one message stands for (none for most messages)."""
    if msg.duplicate_of is not None:
        return []  # a second delivery of the same event says nothing new
    fn = CLASSIFIERS.get((msg.cmd_name, msg.role))
    if fn is None:
        return []
    ifindex = msg.value("IFINDEX")
    return fn(msg, ifindex if isinstance(ifindex, int) else None)

"""The sans-IO sequencer: decoded messages in, finished attempts out.

Feed it :class:`~nl80211dec.netlink.message.Message` objects in capture
order (:meth:`Sequencer.feed`); it returns the attempts that finished.  Call
:meth:`Sequencer.finish` at the end of the stream for the rest.  It never
reads a file or a clock.  How an attempt advances is the table in
:mod:`.state`; what went wrong is the table in :mod:`.verdicts`; this module
only routes events to attempts and records facts.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from ..netlink.message import Message
from .attempt import Attempt, SaeFrame, Step
from .events import ZERO, Event, classify
from .state import INITIAL, advance, label
from .verdicts import decide

IFTYPE_AP = 3
PENDING_LIMIT = 4096


class Sequencer:
    """Rebuild connection attempts per interface (station side) and per station (AP side)."""

    def __init__(self, air: Any = None) -> None:
        self.air = air  # an AirJoin: evidence from an over-the-air capture, or None
        self._sta: dict[int | None, Attempt] = {}
        self._ap: dict[tuple[int | None, str], Attempt] = {}
        self._iftype: dict[int, int] = {}
        self._ifmac: dict[int, str] = {}
        self._requests: OrderedDict[int, Attempt] = OrderedDict()
        self._scans: dict[int | None, dict] = {}
        self._had_attempt: set[int | None] = set()
        self._count = 0
        self.attempts_seen = 0

    # -- public -----------------------------------------------------------------
    def feed(self, msg: Message) -> list[Attempt]:
        done: list[Attempt] = []
        for ev in classify(msg):
            done.extend(self._event(ev))
        return done

    def finish(self) -> list[Attempt]:
        done = []
        for ifindex in list(self._sta):
            done.append(self._close(self._sta.pop(ifindex), "end of capture"))
        for station in list(self._ap):
            done.append(self._close(self._ap.pop(station), "end of capture"))
        for ifindex, scan in self._scans.items():
            if ifindex not in self._had_attempt and scan["count"] >= 2 and scan["sae_bss"]:
                a = self._new("scan-only", ifindex, scan["first"], scan["first_time"])
                a.scan = scan
                a.ssid = scan["sae_bss"].get("ssid")
                a.ap = scan["sae_bss"].get("bssid")
                a.end_index, a.end_time = scan["last"], scan["last_time"]
                a.add_step(Step(scan["first"], scan["first_time"], "S", "K",
                                f"{scan['count']} scans; SAE network {a.ssid!r} seen, never joined"))
                done.append(self._close(a, "end of capture"))
        self._scans.clear()
        return sorted(done, key=lambda a: a.start_index)

    # -- routing -------------------------------------------------------------------
    def _new(self, mode: str, ifindex: int | None, index: int, time: float) -> Attempt:
        self._count += 1
        self.attempts_seen += 1
        a = Attempt(self._count, mode, ifindex, index, time, state=INITIAL[mode])
        if ifindex is not None:
            a.station = self._ifmac.get(ifindex)
        if mode != "scan-only":
            self._had_attempt.add(ifindex)
        return a

    def _close(self, a: Attempt, why: str) -> Attempt:
        a.closed_by = why
        if a.end_index is None and a.steps:
            a.end_index, a.end_time = a.steps[-1].index, a.steps[-1].time
        if self.air is not None and a.mode not in ("ap", "scan-only"):
            a.air = self.air.facts([f.index for f in a.sae if f.direction == "tx"], a.ap, a.station,
                                   a.start_time, a.end_time or a.start_time)
        decide(a)
        for idx in [i for i, att in self._requests.items() if att is a]:
            del self._requests[idx]
        return a

    def _is_ap(self, ifindex: int | None) -> bool:
        return ifindex is not None and self._iftype.get(ifindex) == IFTYPE_AP

    def _event(self, ev: Event) -> list[Attempt]:
        k = ev.kind
        done: list[Attempt] = []
        if k == "IFTYPE":
            if ev.ifindex is not None:
                self._iftype[ev.ifindex] = ev.info["iftype"]
                if ev.info.get("mac"):
                    self._ifmac[ev.ifindex] = ev.info["mac"]
            return done
        if k in ("SCAN", "SCAN_BSS"):
            self._note_scan(ev)
            return done
        if k == "ANSWER":
            a = self._requests.pop(ev.info.get("reply_to"), None) if ev.info.get("reply_to") is not None else None
            if a is not None:
                self._apply(a, ev)
            return done
        if k in ("AUTH_TX", "AUTH_RX", "TX_STATUS") and (
                self._is_ap(ev.ifindex) or (k == "AUTH_TX" and ev.info.get("from_ap")
                                            and ev.info.get("bssid") not in (None, ZERO))):
            if ev.ifindex is not None and ev.ifindex not in self._iftype and k == "AUTH_TX":
                self._iftype[ev.ifindex] = IFTYPE_AP  # transmitting as the BSSID: this is the AP side
            return self._ap_event(ev)
        if self._is_ap(ev.ifindex) and k in ("EAPOL", "AUTHORIZED"):
            return self._ap_event(ev)
        if self._is_ap(ev.ifindex):
            return done
        if k == "EAPOL" and ev.ifindex is None:
            # EAPoL from the PAE socket carries no interface: it belongs to the
            # station attempt that is past authentication, if there is one
            waiting = [a for a in self._sta.values() if a.state not in INITIAL.values()]
            if len(waiting) == 1:
                ev.ifindex = waiting[0].ifindex
        cur = self._sta.get(ev.ifindex)
        start_mode = self._starts(cur, ev)
        if start_mode is not None:
            if cur is not None:
                done.append(self._close(self._sta.pop(ev.ifindex), "a new attempt started"))
            cur = self._sta[ev.ifindex] = self._new(start_mode, ev.ifindex, ev.index, ev.time)
        if cur is None:
            return done
        self._apply(cur, ev)
        if k == "DISCONNECT":
            done.append(self._close(self._sta.pop(ev.ifindex), "disconnect"))
        return done

    def _starts(self, cur: Attempt | None, ev: Event) -> str | None:
        """Does this event open a new station attempt, and in which mode?"""
        k = ev.kind
        if k == "CONNECT_REQ":
            if ev.info.get("external_auth"):
                return "external-auth"
            return "fullmac"
        if k == "AUTH_REQ":
            sae = ev.info.get("sae")
            mode = "softmac-sae" if ev.info.get("auth_type") == 4 else "softmac-open"
            if cur is None or cur.mode not in ("softmac-sae", "softmac-open") or cur.mode != mode:
                return mode
            if sae is not None and sae.seq == 1 and (
                    cur.sae_where("tx", "confirm") or cur.sae_where("rx", "confirm")
                    or cur.state not in ("sae_requested", "commit_sent", "commit_exchanged")):
                return mode  # a fresh exchange after the previous one ended
            if mode == "softmac-open" and cur.state != "auth_sent":
                return mode
            return None
        if k == "EXT_AUTH_START" and (cur is None or cur.mode != "external-auth"):
            return "external-auth"
        return None

    def _note_scan(self, ev: Event) -> None:
        s = self._scans.setdefault(ev.ifindex, {"count": 0, "first": ev.index, "first_time": ev.time,
                                                "sae_bss": None, "last": ev.index, "last_time": ev.time})
        s["last"], s["last_time"] = ev.index, ev.time
        if ev.kind == "SCAN":
            s["count"] += 1
        elif ev.info.get("sae") and s["sae_bss"] is None:
            s["sae_bss"] = dict(ev.info, index=ev.index)

    def _ap_event(self, ev: Event) -> list[Attempt]:
        peer = ev.peer or "?"
        key = (ev.ifindex, peer)
        a = self._ap.get(key)
        done = []
        sae = ev.info.get("sae")
        starts = ev.kind == "AUTH_RX" and ev.info.get("frame") == "AUTH" and (
            sae is None or (sae.seq == 1 and sae.status in (0, 126, 127)))
        fresh = starts and a is not None and (
            a.disconnect is not None or a.assoc_status is not None
            or a.sae_where("tx", "confirm") or a.sae_where("rx", "confirm")
            or (sae is None and a.state != "sae_requested"))
        if a is None or fresh:
            if a is not None:
                done.append(self._close(self._ap.pop(key), "a new attempt started"))
            if not starts:
                return done  # the AP side starts with the station's first Authentication frame
            a = self._ap[key] = self._new("ap", ev.ifindex, ev.index, ev.time)
            a.station, a.ap = peer, self._ifmac.get(ev.ifindex) if ev.ifindex is not None else None
            a.ap = a.ap or ev.info.get("da")
        self._apply(a, ev)
        if ev.info.get("frame") in ("DEAUTH", "DISASSOC"):
            done.append(self._close(self._ap.pop(key), "deauthentication"))
        return done

    # -- facts --------------------------------------------------------------------
    def _apply(self, a: Attempt, ev: Event) -> None:
        word = label(ev)
        info = ev.info
        _record_facts(a, ev, word)
        nxt = advance(a.mode, a.state, word)
        if nxt is None and ev.index == a.start_index:
            nxt = a.state  # the request that opened the attempt is its starting point
        if nxt is None:
            if a.divergence is None:
                a.divergence = (ev.index, word, a.state)
        else:
            a.state = nxt
        if ev.kind in ("CONNECT_REQ", "EXT_AUTH_REPORT", "AUTH_REQ", "ASSOC_REQ", "AUTH_TX"):
            self._requests[ev.index] = a
            if len(self._requests) > PENDING_LIMIT:
                self._requests.popitem(last=False)
        if ev.kind == "CONNECT_REQ" and info.get("bssid"):
            a.ap = info["bssid"]


def _lanes(a: Attempt, ev: Event) -> tuple[str, str]:
    """Arrow direction on the ladder, seen from the attempt's owner."""
    if a.mode == "ap":
        return ("S", "A") if ev.kind in ("AUTH_RX",) or (ev.kind == "EAPOL" and not ev.info["outgoing"]) \
            else ("A", "S")
    table = {"CONNECT_REQ": ("S", "K"), "EXT_AUTH_START": ("K", "S"), "EXT_AUTH_ABORT": ("K", "S"),
             "EXT_AUTH_REPORT": ("S", "K"), "ANSWER": ("K", "S"), "AUTH_TX": ("S", "A"), "AUTH_REQ": ("S", "A"),
             "AUTH_RX": ("A", "S"), "TX_STATUS": ("K", "S"), "ASSOC_REQ": ("S", "A"), "ASSOC_RX": ("A", "S"),
             "CONNECT_EVENT": ("K", "S"), "AUTHORIZED": ("K", "S"), "AUTH_TIMEOUT": ("K", "S"),
             "ASSOC_TIMEOUT": ("K", "S")}
    if ev.kind == "EAPOL":
        return ("S", "A") if ev.info["outgoing"] else ("A", "S")
    if ev.kind == "DISCONNECT":
        return ("S", "K") if ev.info.get("local") else ("K", "S")
    return table.get(ev.kind, ("K", "S"))


def _sae_text(sae) -> str:
    if sae.message == "commit":
        return f"SAE commit group {sae.group}" + (" (H2E)" if sae.status == 126 else "") + \
            (" + token" if sae.token else "")
    if sae.message == "confirm":
        return f"SAE confirm #{sae.send_confirm}"
    return f"SAE {'commit' if sae.seq == 1 else 'confirm'} rejected: {sae.status_name} ({sae.status})"


def _record_facts(a: Attempt, ev: Event, word: str) -> None:
    """Everything the verdict table may ask about, plus the ladder step."""
    info, k = ev.info, ev.kind
    src, dst = _lanes(a, ev)
    text, mark = word, ""
    if k == "CONNECT_REQ":
        a.ssid, a.freq = info.get("ssid"), info.get("freq")
        a.auth_type, a.akm = info.get("auth_type"), info.get("akm")
        a.pmkids = list(info.get("pmkids") or [])
        a.pmkid_offered = bool(a.pmkids)
        a.sae_password = bool(info.get("sae_password"))
        extra = " with PMKID (PMKSA cache)" if a.pmkid_offered else ""
        text = f"CONNECT {a.ssid!r} auth {a.auth_type or 'auto'}" + \
            (", external auth supported" if info.get("external_auth") else "") + \
            (", SAE in the driver (SAE_PASSWORD)" if a.sae_password else "") + extra
    elif k == "EXT_AUTH_START":
        a.ext_start = ev.index if a.ext_start is None else a.ext_start
        a.ap = a.ap or info.get("bssid")
        a.ssid = a.ssid or info.get("ssid")
        text = f"EXTERNAL_AUTH start (AKM {info.get('akm')})"
    elif k == "EXT_AUTH_ABORT":
        a.ext_abort = ev.index
        text, mark = "EXTERNAL_AUTH abort", "!"
    elif k == "EXT_AUTH_REPORT":
        a.report_status, a.report_index = info.get("status"), ev.index
        text = f"EXTERNAL_AUTH status {info.get('status')}"
    elif k == "ANSWER":
        errno = info["errno"]
        if info["cmd"] == "EXTERNAL_AUTH":
            a.report_errno, a.report_answer_index = errno, ev.index
            a.report_ext_msg = info.get("ext_msg")
        elif errno:
            a.request_errors.append((info["cmd"], errno, ev.index))
        text = f"{info['cmd']}: " + ("ACK" if errno == 0 else f"error {errno} {info['errno_name']}")
        mark = "" if errno == 0 else "error"
    elif k in ("AUTH_TX", "AUTH_RX", "AUTH_REQ"):
        sae = info.get("sae")
        if k == "AUTH_TX" and a.mode != "ap" and a.station is None:
            a.station = info.get("sa")
        if sae is not None:
            direction = "rx" if k == "AUTH_RX" else "tx"
            a.sae.append(SaeFrame(direction, sae.message if sae.message != "reject" else
                                  ("commit" if sae.seq == 1 else "confirm"), sae.status, sae.group, ev.index,
                                  ev.time, scalar=sae.scalar, raw=info.get("raw")))
            text = _sae_text(sae)
            if k == "AUTH_REQ":
                a.ssid, a.freq = a.ssid or info.get("ssid"), a.freq or info.get("freq")
                a.ap = a.ap or info.get("bssid")
                a.auth_type = a.auth_type or info.get("auth_type_text")
        elif k == "AUTH_REQ":
            a.ssid, a.freq, a.ap = info.get("ssid"), info.get("freq"), info.get("bssid")
            a.auth_type = info.get("auth_type_text")
            text = f"AUTHENTICATE {a.auth_type}"
        elif info.get("frame") in ("ASSOC_RESP", "REASSOC_RESP"):
            a.assoc_status, a.assoc_index = info.get("status"), ev.index
            text = f"Association response status {info.get('status')}"
            mark = "" if info.get("status") == 0 else "!"
        elif info.get("frame") in ("DEAUTH", "DISASSOC"):
            a.disconnect = {"index": ev.index, "reason": info.get("reason"), "by_ap": k == "AUTH_TX",
                            "local": k == "AUTH_TX"}
            text = f"{'Deauthentication' if info['frame'] == 'DEAUTH' else 'Disassociation'} " + \
                (f"reason {info['reason']}" if info.get("reason") else "(protected)")
        else:
            text = f"Authentication {info.get('algorithm')} status {info.get('status')}"
    elif k == "TX_STATUS":
        acked = bool(info.get("ack"))
        raw = info.get("raw")
        # brcmfmac gives every frame cookie 0 and may report before the cookie
        # reply: match the status to the oldest unreported frame with the same bytes
        for f in a.sae:
            if f.direction == "tx" and f.acked is None and (raw is None or f.raw == raw):
                f.acked = acked
                break
        text, mark = "TX status", "ACK" if acked else "no ACK"
    elif k == "ASSOC_REQ":
        a.pmkids = a.pmkids or list(info.get("pmkids") or [])
        a.pmkid_offered = a.pmkid_offered or bool(info.get("pmkids"))
        text = "Association request" + (" with PMKID" if info.get("pmkids") else "")
    elif k == "ASSOC_RX":
        a.assoc_status, a.assoc_index = info.get("status"), ev.index
        text = f"Association response status {info.get('status')}"
        mark = "" if info.get("status") == 0 else "!"
    elif k == "CONNECT_EVENT":
        a.connect_status, a.connect_index = info.get("status"), ev.index
        text = f"CONNECT event status {info.get('status')}" + (" (timed out)" if info.get("timed_out") else "")
        mark = "" if info.get("status") == 0 else "!"
    elif k in ("AUTH_TIMEOUT", "ASSOC_TIMEOUT"):
        a.timeout = (k, ev.index)
        text, mark = ("authentication" if k == "AUTH_TIMEOUT" else "association") + " timed out", "!"
    elif k == "EAPOL":
        msg = info["message"]
        a.eapol.setdefault(msg, ev.index)
        if info.get("pmkid"):
            a.eapol_pmkid = info["pmkid"]
        text = f"EAPoL {msg}"
    elif k == "AUTHORIZED":
        a.authorized_index = ev.index
        text = "port authorized"
    elif k == "DISCONNECT":
        a.disconnect = {"index": ev.index, "reason": info.get("reason"), "by_ap": info.get("by_ap"),
                        "local": info.get("local")}
        text = ("DEAUTHENTICATE request" if info.get("local") else "DISCONNECT") + \
            (f" reason {info.get('reason')}" if info.get("reason") else "")
    a.add_step(Step(ev.index, ev.time, src, dst, text, mark))
    a.end_index, a.end_time = ev.index, ev.time

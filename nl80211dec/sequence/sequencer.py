"""The sans-IO sequencer: decoded messages (and log events) in, finished attempts out.

Feed it :class:`~nl80211dec.netlink.message.Message` objects in capture
order (:meth:`Sequencer.feed`) and, when logs are read too, their events in
the same timeline (:meth:`Sequencer.feed_event`); it returns the attempts
that finished.  Call :meth:`Sequencer.finish` at the end of the stream for
the rest.  It never reads a file or a clock.  What the words mean is the
tables of :mod:`.state`; what an attempt's ending means is the table of
:mod:`.verdicts`; this module routes events to attempts, records facts and
closes attempts.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from typing import Any

from ..netlink.message import Message
from ..sae.body import SaeBody
from ..wire.text import quoted
from .attempt import Attempt, Ending, SaeFrame, Step
from .claims import reason_text
from .events import IFTYPE_AP, ZERO, Event, classify
from .logwords import capture_point
from .state import (
    CLOSE_AFTER_S,
    CONNECTED,
    ENDED_CLOSE_S,
    FLOWS,
    GROUP_REFUSED,
    OPENERS,
    RANK,
    RESYNC,
    SAE_H2E,
    SILENCE_S,
    STARTS,
    SUCCESS,
    TOKEN_REQUIRED,
    ending_of,
    stage_of,
)
from .verdicts import decide

PENDING_LIMIT = 4096  # requests remembered for routing their answers
MAX_AP_PEERS = 1024  # stations followed at once on the AP side; the oldest is closed beyond that
MAX_INTERFACES = 256  # station interfaces followed at once; the least recently used attempt is closed beyond
MAX_KNOWN = 4096  # interfaces whose type, address and scans are remembered
# Log facts said just before a try begins: after a finished attempt they belong to the next one.
NEXT_TRY_FACTS = frozenset({"pmksa_used", "pmksa_found", "external_auth_expected"})
MAX_POINTS = 100_000  # capture moments kept for placing a log on the capture's clock
MAX_BSS = 256  # scanned networks remembered
RECENT = 64  # closed attempts kept for linking the two sides of an exchange
SWEEP_S = 10.0  # how often (capture seconds) silent attempts are looked for


class _Bounded(OrderedDict):
    """A dict that forgets its oldest entries beyond ``limit`` (state that grows with hostile input)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        if len(self) > self.limit:
            self.popitem(last=False)


class Sequencer:
    """Rebuild connection attempts per interface (station side) and per station (AP side)."""

    def __init__(self, air: Any = None, logs_drive: bool = False) -> None:
        self.air = air  # an AirJoin: evidence from an over-the-air capture, or None
        self.logs_drive = logs_drive  # log events move attempts on (a log read alone), else they are evidence
        self._sta: OrderedDict[int | None, Attempt] = OrderedDict()
        self._ap: OrderedDict[tuple[int | None, str], Attempt] = OrderedDict()
        self._iftype: dict[int, int] = _Bounded(MAX_KNOWN)
        self._ifmac: dict[int, str] = _Bounded(MAX_KNOWN)
        self._requests: OrderedDict[int, Attempt] = OrderedDict()
        self._scans: dict[int | None, dict[str, Any]] = _Bounded(MAX_KNOWN)
        self._bss: OrderedDict[str, tuple[int, dict[str, Any]]] = OrderedDict()
        self._cleared: deque[tuple[int, float]] = deque(maxlen=8)
        self._recent: deque[Attempt] = deque(maxlen=RECENT)
        self._unplaced_logs: deque[Step] = deque(maxlen=64)  # station log facts no open attempt took (yet)
        self.points: list[tuple[str, str, float]] | None = None  # when a list: the moments a log could share
        self._tried: dict[int | None, None] = _Bounded(MAX_KNOWN)  # interfaces that tried to join
        self._count = 0
        self._sweep = 0.0
        self.now_index = -1
        self.now_time: float | None = None
        self.attempts_seen = 0
        self.evicted = 0

    # -- public -----------------------------------------------------------------
    def feed(self, msg: Message) -> list[Attempt]:
        self.now_index, self.now_time = msg.index, msg.timestamp
        done: list[Attempt] = []
        for ev in classify(msg, self._iftype):
            done.extend(self._event(ev))
        if msg.timestamp - self._sweep >= SWEEP_S:
            self._sweep = msg.timestamp
            done.extend(self._close_silent())
        return done

    def feed_event(self, ev: Event) -> list[Attempt]:
        """Evidence from outside the capture (a log line), already placed on the capture's clock."""
        self.advance(ev.time, ev.index if self.logs_drive else None)
        return self._event(ev)

    def advance(self, time: float, index: int | None = None) -> None:
        """The stream has reached ``time`` (a log's last line, say): silence is measured up to it."""
        if self.now_time is None or time > self.now_time:
            self.now_time = time
        if index is not None:
            self.now_index = max(self.now_index, index)

    def tick(self, now: float) -> list[Attempt]:
        """The stream's clock moved on without a message (live use): close what has gone silent."""
        if self.now_time is None or now <= self.now_time:
            return []
        self.now_time = now
        return self._close_silent()

    def finish(self) -> list[Attempt]:
        done = [self._close(a, "end of capture") for a in list(self._sta.values())]
        self._sta.clear()
        done.extend(self._close(a, "end of capture") for a in list(self._ap.values()))
        self._ap.clear()
        for ifindex, scan in self._scans.items():
            if ifindex not in self._tried and scan["count"] >= 2 and scan["sae_bss"]:
                done.append(self._never_tried(ifindex, scan))
        skips = [s for s in self._unplaced_logs if (s.facts or {}).get("kind") in ("bss_skipped", "h2e_disabled")
                 and (s.facts or {}).get("why") not in ("ignored", "disabled")]
        if self.logs_drive and not self._tried and skips:  # a log read alone: the station only ever skipped
            first = Event("LOG_FACT", skips[0].index, skips[0].time, None, source=skips[0].source)
            a = self._open("scan-only", first)
            a.logs.extend(skips)
            a.ap = next((s.facts.get("bssid") for s in skips if s.facts and s.facts.get("bssid")), None)
            a.rank, a.rank_index = RANK["scan"], skips[0].index
            a.add_step(Step(skips[0].index, skips[0].time, "S", "K", f"{len(skips)} log lines: the network was "
                                                                      "skipped", word="SCAN"))
            done.append(self._close(a, "end of capture"))
        self._scans.clear()
        return sorted(done, key=lambda a: a.start_index)

    # -- routing -------------------------------------------------------------------
    def _event(self, ev: Event) -> list[Attempt]:
        w = ev.word
        if w == "TICK":
            return []  # time passing (feed_event advanced the clock)
        if w == "IFTYPE":
            if ev.ifindex is not None:
                self._iftype[ev.ifindex] = ev.status or 0
                if ev.sta:
                    self._ifmac[ev.ifindex] = ev.sta
            return []
        if w in ("SCAN", "SCAN_BSS"):
            self._note_scan(ev)
            return []
        if w == "CLEARED_REQ":
            self._cleared.append((ev.index, ev.time))
            return []
        if ev.source is not None and not self.logs_drive:
            return self._log_evidence(ev)
        if w == "ANSWER" and ev.source is not None:  # a log's error answer: the station's open attempt
            a = next(reversed(self._sta.values()), None)
            if a is not None:
                self._apply(a, ev)
            return []
        if w == "ANSWER":
            a = self._requests.pop(ev.reply_to, None) if ev.reply_to is not None else None
            if a is not None:
                self._apply(a, ev)
            return []
        owner = ev.owner
        if owner is None and ev.ifindex is not None and ev.ifindex in self._iftype:
            owner = "ap" if self._iftype[ev.ifindex] == IFTYPE_AP else "sta"
        if self.points is not None and ev.source is None:
            point = capture_point(ev, owner == "ap")
            if point is not None and len(self.points) < MAX_POINTS:
                self.points.append(point)
        if owner == "ap":
            if ev.ifindex is not None and ev.ifindex not in self._iftype:
                self._iftype[ev.ifindex] = IFTYPE_AP  # transmitting as the BSSID: this is the AP side
            return self._ap_event(ev)
        return self._sta_event(ev)

    def _sta_event(self, ev: Event) -> list[Attempt]:
        done: list[Attempt] = []
        if ev.ifindex is None:
            if ev.source is None and ev.word != "EAPOL":
                return done
            # EAPoL from the PAE socket, or a log line, names no interface: it belongs to
            # the one station attempt open, if there is exactly one
            if len(self._sta) == 1:
                ev.ifindex = next(iter(self._sta))
        cur = self._sta.get(ev.ifindex)
        if ev.word == "STA_FRAME":  # a log that says only "an SAE frame went out": commit first, then confirm
            ev.word = "STA_CONFIRM" if cur is not None and cur.saw("STA_COMMIT") else "STA_COMMIT"
            ev.sae = SaeBody(2 if ev.word == "STA_CONFIRM" else 1, 0)
        if ev.word == "CONNECT_SEEN":  # iwd's log: after a SoftMAC association it means success; FullMAC: unknown
            softmac = cur is not None and cur.mode.startswith("softmac") and cur.rank >= RANK["confirmed"]
            ev.word, ev.status = ("ASSOC_RESP", 0) if softmac else ("LOG_FACT", None)
        if ev.word == "ASSOC_START":  # a log's "trying to associate": SoftMAC's association, FullMAC's CONNECT
            softmac = cur is not None and cur.mode.startswith("softmac") and cur.ended is None
            ev.word = "ASSOC_REQ" if softmac or (cur is not None and cur.rank >= RANK["confirmed"]) else "CONNECT_REQ"
        w = ev.word
        if w == "EXT_AUTH_START" and cur is not None and cur.mode != "external-auth" and not cur.tried_anything():
            cur.mode = "external-auth"  # the driver asks for SAE after a CONNECT (or a log's "connecting")
        opens = w in OPENERS and (cur is None or STARTS[w](cur, ev))
        resync = cur is None and w in RESYNC and not (w == "EAPOL" and ev.eapol not in ("1", "2", "3", "4"))
        if opens or resync:
            if cur is not None:
                done.append(self._close(self._sta.pop(ev.ifindex), "a new attempt started"))
            mode = ev.mode or ("fullmac" if w == "CONNECT_RESULT" else "softmac-sae")
            if cur is not None and w not in ("CONNECT_REQ", "EXT_AUTH_START", "STA_OPEN_AUTH", "TRY_START"):
                mode = cur.mode  # the supplicant's next try goes the same way as the one before
            cur = self._sta[ev.ifindex] = self._open(mode, ev)
            if w != "CONNECT_REQ":
                self._claim_cleared(cur, ev)
            if len(self._sta) > MAX_INTERFACES:
                self.evicted += 1
                done.append(self._close(self._sta.popitem(last=False)[1], "evicted"))
        before_next = cur is not None and w == "LOG_FACT" and (ev.log or {}).get("kind") in NEXT_TRY_FACTS \
            and (cur.rank >= CONNECTED or cur.ended is not None)
        if cur is None or before_next:
            if ev.source is not None and ev.log is not None:
                self._unplaced_logs.append(_log_step(ev))  # a fact before the attempt it belongs to
            return done
        self._sta.move_to_end(ev.ifindex)
        self._apply(cur, ev)
        if w == "DISCONNECT":
            done.append(self._close(self._sta.pop(ev.ifindex), "disconnect"))
        return done

    def _ap_event(self, ev: Event) -> list[Attempt]:
        if ev.sta is None and ev.source is not None and self._ap:  # an AP log line that names no station
            ev.sta = next(reversed(self._ap))[1]
        peer = ev.sta or "?"
        key = (ev.ifindex, peer)
        cur = self._ap.get(key)
        done: list[Attempt] = []
        w = ev.word
        opens = w in ("STA_COMMIT", "STA_OPEN_AUTH") and (cur is None or cur.fresh_commit(ev)
                                                          or w == "STA_OPEN_AUTH")
        if opens or (cur is None and w in RESYNC):
            if cur is not None:
                done.append(self._close(self._ap.pop(key), "a new attempt started"))
            cur = self._ap[key] = self._open("ap", ev)
            cur.station = peer
            cur.ap = (self._ifmac.get(ev.ifindex) if ev.ifindex is not None else None) or ev.ap
            if len(self._ap) > MAX_AP_PEERS:
                self.evicted += 1
                done.append(self._close(self._ap.popitem(last=False)[1], "evicted"))
        if cur is None:
            return done
        self._ap.move_to_end(key)
        self._apply(cur, ev)
        if w == "DEAUTH":
            done.append(self._close(self._ap.pop(key), "deauthentication"))
        return done

    def _log_evidence(self, ev: Event) -> list[Attempt]:
        """A log line beside a capture: placed on the attempt it speaks about, it never moves one on."""
        step = _log_step(ev)
        if ev.owner == "ap":
            target = next((a for (_i, sta), a in reversed(self._ap.items()) if sta == ev.sta), None)
        else:
            target = next(reversed(self._sta.values()), None)
        if target is None:
            target = next((a for a in reversed(self._recent) if (a.mode == "ap") == (ev.owner == "ap")
                           and a.end_time is not None and 0 <= ev.time - a.end_time <= SILENCE_S), None)
        if target is not None:
            if len(target.logs) < 256:
                target.logs.append(step)
            if target.mode != "ap":
                _log_facts(target, ev)
        elif ev.owner != "ap":
            self._unplaced_logs.append(step)
        return []

    def _open(self, mode: str, ev: Event) -> Attempt:
        self._count += 1
        self.attempts_seen += 1
        a = Attempt(self._count, mode, ev.ifindex, ev.index, ev.time, source=ev.source)
        if mode != "ap":
            a.station = self._ifmac.get(ev.ifindex) if ev.ifindex is not None else None
            self._tried[ev.ifindex] = None
            for step in self._unplaced_logs:  # log facts just before the attempt began belong to it
                if 0 <= ev.time - step.time <= SILENCE_S and step.facts is not None:
                    a.logs.append(step)
                    _log_facts(a, Event("LOG_FACT", step.index, step.time, log=step.facts))
        return a

    def _claim_cleared(self, a: Attempt, ev: Event) -> None:
        """An attempt opened by later evidence: was the request that began it cleared by the kernel?"""
        a.cleared_before = [i for i, t in self._cleared if ev.time - t <= 2.0 and i < ev.index]
        a.pmksa_known = False

    def _note_scan(self, ev: Event) -> None:
        s = self._scans.setdefault(ev.ifindex, {"count": 0, "first": ev.index, "first_time": ev.time,
                                                "sae_bss": None, "last": ev.index, "last_time": ev.time})
        s["last"], s["last_time"] = ev.index, ev.time
        if ev.word == "SCAN":
            s["count"] += 1
            return
        bss = ev.bss or {}
        if bss.get("bssid"):
            self._bss[bss["bssid"]] = (ev.index, bss)
            self._bss.move_to_end(bss["bssid"])
            if len(self._bss) > MAX_BSS:
                self._bss.popitem(last=False)
        if bss.get("sae") and s["sae_bss"] is None:
            s["sae_bss"] = dict(bss, index=ev.index)

    def _never_tried(self, ifindex: int | None, scan: dict[str, Any]) -> Attempt:
        first = Event("SCAN", scan["first"], scan["first_time"], ifindex)
        a = self._open("scan-only", first)
        self._tried.pop(ifindex, None)
        a.scan = scan
        a.ssid = scan["sae_bss"].get("ssid")
        a.ap = scan["sae_bss"].get("bssid")
        a.rank, a.rank_index = RANK["scan"], scan["sae_bss"]["index"]
        why_not = ("bss_skipped", "h2e_disabled", "network_not_found")  # log lines that say why nothing was tried
        a.logs.extend(s for s in self._unplaced_logs if s.facts and s.facts.get("kind") in why_not)
        a.add_step(Step(scan["first"], scan["first_time"], "S", "K",
                        f"{scan['count']} scans; SAE network {quoted(a.ssid)} seen, never joined", word="SCAN"))
        a.add_step(Step(scan["last"], scan["last_time"], "S", "K", "last scan", word="SCAN"))
        return self._close(a, "end of capture")

    # -- closing -------------------------------------------------------------------
    def _close_silent(self) -> list[Attempt]:
        now = self.now_time or 0.0
        done = []
        for key, a in list(self._sta.items()):
            if a.end_time is not None and now - a.end_time > quiet_limit(a):
                done.append(self._close(self._sta.pop(key), "silence"))
        for akey, a in list(self._ap.items()):
            if a.end_time is not None and now - a.end_time > quiet_limit(a):
                done.append(self._close(self._ap.pop(akey), "silence"))
        return done

    def _close(self, a: Attempt, why: str) -> Attempt:
        a.closed_by = why
        if a.end_index is None and a.steps:
            a.end_index, a.end_time = a.steps[-1].index, a.steps[-1].time
        a.capture_end_time, a.capture_end_index = self.now_time, self.now_index
        a.ending = self._ending(a, why)
        if a.mode != "scan-only" and a.ap is not None and a.ap in self._bss:
            index, bss = self._bss[a.ap]
            a.scan = a.scan or {"sae_bss": dict(bss, index=index)}
        if self.air is not None and a.mode not in ("ap", "scan-only"):
            a.air = self.air.facts([f.index for f in a.sae if f.direction == "tx"], a.ap, a.station,
                                   a.start_time, a.end_time or a.start_time)
        a.gaps = [(w, i) for w, i in a.gaps if not a.saw(w)]  # a word that came late was not lost
        partner = self._link(a)
        if partner is not None:
            self._borrow(a, partner)
        decide(a)
        for idx in a.requests:
            self._requests.pop(idx, None)
        a.requests.clear()
        self._recent.append(a)
        return a

    def _ending(self, a: Attempt, why: str) -> Ending:
        if a.rank >= CONNECTED:
            d = a.disconnect
            if d is not None:
                return Ending("disconnect", d["index"], d["word"], d.get("reason"),
                              "by the AP" if d.get("by_ap") else "locally" if d.get("local") else "")
            return Ending("connected", a.authorized_index or a.rank_index)
        if a.ended is not None:
            return a.ended
        end = a.end_time if a.end_time is not None else a.start_time
        if why == "a new attempt started":
            return Ending("new-attempt", self.now_index)
        if why == "evicted":
            return Ending("evicted", None, detail=f"more attempts open at once than followed ({MAX_INTERFACES} "
                                                  f"interfaces, {MAX_AP_PEERS} stations at an AP)")
        if self.now_time is not None and (self.now_time - end >= SILENCE_S or why == "silence"):
            return Ending("silence", a.end_index, detail=f"{self.now_time - end:.1f} s")
        return Ending("capture-end", a.end_index, detail=f"{(self.now_time or end) - end:.1f} s")

    def _link(self, a: Attempt) -> Attempt | None:
        """Tie the station's and the AP's views of the same exchange (same pair, overlapping time)."""
        others = list(self._sta.values()) if a.mode == "ap" else list(self._ap.values())
        others += [o for o in self._recent if (o.mode == "ap") != (a.mode == "ap")]
        if a.linked is not None:
            return next((o for o in others if o.number == a.linked), None)
        if a.station is None or a.ap is None or a.mode == "scan-only":
            return None
        start, end = a.start_time - 0.5, (a.end_time or a.start_time) + 0.5
        for o in others:
            if o.linked is None and o.station == a.station and o.ap == a.ap and o is not a \
                    and o.start_time <= end and (o.end_time or o.start_time) >= start:
                a.linked, o.linked = o.number, a.number
                return o
        return None

    @staticmethod
    def _borrow(a: Attempt, ap_view: Attempt) -> None:
        """The station's own frames the capture lost (iwmon clears requests), as the AP's socket received them."""
        if a.mode == "ap" or ap_view.mode != "ap":
            return
        for word, message, stage in (("STA_COMMIT", "commit", "commit"), ("STA_CONFIRM", "confirm", "confirm")):
            if a.saw(word) or not ap_view.saw(word):
                continue
            received = [f for f in ap_view.sae if f.direction == "rx" and f.message == message and f.status == SUCCESS]
            for f in received:
                a.add_sae(SaeFrame("tx", message, f.status, f.group, f.index, f.time,
                                   scalar=f.scalar, send_confirm=f.send_confirm, token=f.token), "STA")
            a.words[word] += len(received)
            a.borrowed.append((word, received[0].index if received else ap_view.start_index))
            if received and RANK[stage] > a.rank:
                a.rank, a.rank_index = RANK[stage], received[-1].index

    # -- facts --------------------------------------------------------------------
    def _apply(self, a: Attempt, ev: Event) -> None:
        w = ev.word
        if ev.source is not None and (w == "LOG_FACT" or not self.logs_drive):  # a fact for the explanation
            if len(a.logs) < 256:
                a.logs.append(Step(ev.index, ev.time, "S", "K", ev.text or w, word=w, status=ev.status,
                                   source=ev.source, line=ev.line, facts=ev.log))
            if not self.logs_drive:
                return
        if ev.source is not None and a.steps and a.steps[-1].word == w and a.steps[-1].status == ev.status \
                and ev.time - a.steps[-1].time < 0.2 and w in ("ASSOC_RESP", "AUTHORIZED", "CONNECT_RESULT"):
            return  # two lines of a log saying the same step ("associated", "association response")
        a.words[w] += 1
        a.first.setdefault(w, ev.index)
        a.last[w] = ev.index
        st = stage_of(ev)
        if st is not None and RANK[st] >= a.rank:
            if RANK[st] > a.rank:
                self._gaps(a, ev, st)
                a.rank, a.rank_index = RANK[st], ev.index
            e = a.ended
            goes_on = e is None or (e.word == "AP_REJECT" and e.status in (TOKEN_REQUIRED, GROUP_REFUSED))
            if goes_on or not _own_word(a, w):
                a.ended = None  # the exchange moved on (the owner's own frame after a final ending does not)
            a.progress_index, a.progress_time = ev.index, ev.time
        kind = ending_of(ev)
        if kind is not None and a.ended is None:  # the first ending after the last progress is the cause
            a.ended = Ending(kind, ev.index, w, ev.status if ev.status is not None else ev.errno or ev.reason)
        _record(a, ev, self._ifmac)
        if w in ("CONNECT_REQ", "EXT_AUTH_REPORT", "STA_OPEN_AUTH", "ASSOC_REQ", "STA_COMMIT", "STA_CONFIRM",
                 "DEAUTH_REQ", "STA_REJECT") and ev.owner != "ap":
            self._requests[ev.index] = a
            if len(a.requests) < 64:  # beyond that the global table's bound forgets them
                a.requests.append(ev.index)
            if len(self._requests) > PENDING_LIMIT:
                self._requests.popitem(last=False)

    def _gaps(self, a: Attempt, ev: Event, stage: str) -> None:
        """Evidence of a later stage: which words the mode's flow expects before it and the attempt lacks."""
        flow = FLOWS.get(a.mode, ())
        if ev.word not in flow:
            return
        for expected in flow[:flow.index(ev.word)]:
            if not a.saw(expected) and expected not in [g for g, _ in a.gaps] and _expected_in(a, expected):
                a.gaps.append((expected, ev.index))


def quiet_limit(a: Attempt) -> float:
    """How long an open attempt may stay silent: one that has ended (not for a token or another group) is
    told after ENDED_CLOSE_S, once the driver's own timeouts (a CONNECT status 16 seconds later) are past;
    any other after CLOSE_AFTER_S."""
    e = a.ended
    if e is not None and a.rank < CONNECTED and not (e.word == "AP_REJECT" and e.status in (TOKEN_REQUIRED,
                                                                                            GROUP_REFUSED)):
        return ENDED_CLOSE_S
    return CLOSE_AFTER_S


def _own_word(a: Attempt, word: str) -> bool:
    """A word the attempt's owner sends: it cannot undo what the peer or the driver ended."""
    own = ("AP_", ) if a.mode == "ap" else ("STA_", "ASSOC_REQ", "EXT_AUTH_REPORT", "CONNECT_REQ")
    return word.startswith(own)


def _expected_in(a: Attempt, word: str) -> bool:
    """Flows have optional words: an attempt with a cached PMKSA has no SAE, a softmac one no CONNECT."""
    if a.mode == "external-auth" and word in ("EXT_AUTH_START", "STA_COMMIT", "AP_COMMIT", "STA_CONFIRM",
                                              "AP_CONFIRM", "EXT_AUTH_REPORT"):
        return a.saw("EXT_AUTH_START") or a.saw("STA_COMMIT")
    return True


_LANES = {"CONNECT_REQ": ("S", "K"), "EXT_AUTH_START": ("K", "S"), "EXT_AUTH_ABORT": ("K", "S"),
          "EXT_AUTH_REPORT": ("S", "K"), "ANSWER": ("K", "S"), "TX_STATUS": ("K", "S"),
          "CONNECT_RESULT": ("K", "S"), "AUTHORIZED": ("K", "S"), "AUTH_TIMEOUT": ("K", "S"),
          "ASSOC_TIMEOUT": ("K", "S"), "DISCONNECT": ("K", "S"), "DEAUTH_REQ": ("S", "K"),
          "STA_COMMIT": ("S", "A"), "STA_CONFIRM": ("S", "A"), "STA_REJECT": ("S", "A"),
          "STA_OPEN_AUTH": ("S", "A"), "ASSOC_REQ": ("S", "A"), "AP_COMMIT": ("A", "S"), "AP_CONFIRM": ("A", "S"),
          "AP_REJECT": ("A", "S"), "AP_OPEN_AUTH": ("A", "S"), "ASSOC_RESP": ("A", "S")}


def _log_step(ev: Event) -> Step:
    return Step(ev.index, ev.time, "S", "K", ev.text or ev.word, word=ev.word, status=ev.status, source=ev.source,
                line=ev.line, facts=ev.log)


def _log_facts(a: Attempt, ev: Event) -> None:
    """What a log line tells that no message does: a PMKSA in use, an RSN element carrying a PMKID."""
    kind = (ev.log or {}).get("kind")
    if kind in ("pmksa_used", "pmksa_found"):
        a.pmkid_offered, a.pmksa_known = True, True
        if not a.pmkids:
            a.pmkids = [str((ev.log or {}).get("pmkid") or "(cached, the log does not print it)")]
    elif ev.pmkids and not a.pmkids:
        a.pmkids, a.pmkid_offered = list(ev.pmkids), True


def _lanes(a: Attempt, ev: Event) -> tuple[str, str]:
    if ev.word == "EAPOL":
        return ("A", "S") if ev.by_ap else ("S", "A")
    if ev.word == "DEAUTH":
        return ("A", "S") if ev.by_ap else ("S", "A")
    if a.mode == "ap" and ev.word in ("TX_STATUS", "ANSWER", "AUTHORIZED"):
        return ("K", "A")
    return _LANES.get(ev.word, ("K", "S"))


def _sae_text(sae: Any) -> str:
    if sae.message == "commit":
        return "SAE commit" + (f" group {sae.group}" if sae.group is not None else "") + \
            (" (H2E)" if sae.status == SAE_H2E else "") + \
            (" + token" if sae.token else "")
    if sae.message == "confirm":
        return "SAE confirm" + (f" #{sae.send_confirm}" if sae.send_confirm is not None else "")
    return f"SAE {'commit' if sae.seq == 1 else 'confirm'} rejected: {sae.status_name} ({sae.status})"


def _record(a: Attempt, ev: Event, ifmac: dict[int, str]) -> None:
    """The facts the verdict table may ask about, and the ladder step."""
    w = ev.word
    src, dst = _lanes(a, ev)
    text, mark = w, ""
    if ev.ap and ev.ap != ZERO and a.mode != "ap":
        a.ap = a.ap or ev.ap
    if a.mode != "ap" and a.station is None and ev.sta and ev.sta != ZERO:
        a.station = ev.sta
    if ev.log is not None:
        _log_facts(a, ev)
    if w == "CONNECT_REQ":
        if not a.tried_anything() and ev.mode:
            a.mode = ev.mode  # a log's "connecting to" opened it; the CONNECT says which path
        a.ssid, a.freq, a.auth_type, a.akm = ev.ssid or a.ssid, ev.freq, ev.auth_type, ev.akm
        a.pmkids, a.pmkid_offered = list(ev.pmkids), bool(ev.pmkids)
        a.sae_password, a.external_auth = ev.sae_password, ev.external_auth
        a.ap = ev.ap or a.ap
        text = f"CONNECT {quoted(a.ssid)} auth {a.auth_type or 'auto'}" + \
            (", external auth supported" if ev.external_auth else "") + \
            (", SAE in the driver (SAE_PASSWORD)" if ev.sae_password else "") + \
            (" with PMKID (PMKSA cache)" if ev.pmkids else "")
    elif w == "EXT_AUTH_START":
        a.ext_start = ev.index if a.ext_start is None else a.ext_start
        a.ssid = a.ssid or ev.ssid
        a.akm, a.akm_raw = a.akm or ev.akm, ev.akm_raw
        text = f"EXTERNAL_AUTH start (AKM {ev.akm})"
    elif w == "EXT_AUTH_ABORT":
        a.ext_abort = ev.index
        text, mark = "EXTERNAL_AUTH abort", "!"
    elif w == "EXT_AUTH_REPORT":
        a.report_status, a.report_index = ev.status, ev.index
        text = f"EXTERNAL_AUTH status {ev.status}"
    elif w == "ANSWER":
        if ev.cmd == "EXTERNAL_AUTH":
            a.report_errno, a.report_answer_index, a.report_ext_msg = ev.errno, ev.index, ev.text
        elif ev.errno:
            a.request_errors.append((ev.cmd or "?", ev.errno, ev.index))
        text = f"{ev.cmd}: " + ("ACK" if not ev.errno else f"error {ev.errno}")
        mark = "error" if ev.errno else ""
    elif w in ("STA_COMMIT", "STA_CONFIRM", "STA_REJECT", "AP_COMMIT", "AP_CONFIRM", "AP_REJECT"):
        sae = ev.sae
        ours = w.startswith("AP_") == (a.mode == "ap")
        message = sae.message if sae.message != "reject" else ("commit" if sae.seq == 1 else "confirm")
        if sae.message not in ("commit", "confirm"):
            message = "commit" if sae.seq == 1 else "confirm"
        a.add_sae(SaeFrame("tx" if ours else "rx", message, sae.status, sae.group, ev.index, ev.time,
                           scalar=sae.scalar, send_confirm=sae.send_confirm, token=sae.token is not None,
                           raw=ev.raw if ours else None), w[:w.index("_")])
        text = _sae_text(sae)
        mark = "!" if w.endswith("REJECT") else ""
        a.ssid, a.freq = a.ssid or ev.ssid, a.freq or ev.freq
        a.auth_type = a.auth_type or ev.auth_type
    elif w in ("STA_OPEN_AUTH", "AP_OPEN_AUTH"):
        if w == "STA_OPEN_AUTH":
            a.ssid, a.freq, a.auth_type = a.ssid or ev.ssid, a.freq or ev.freq, a.auth_type or ev.auth_type
            text = f"Authentication {ev.auth_type or 'Open System'}"
        else:
            text = f"Authentication response status {ev.status}"
            mark = "!" if ev.status else ""
    elif w == "TX_STATUS":
        for f in a.sae:  # brcmfmac gives every frame cookie 0: match the oldest unreported frame with these bytes
            if f.direction == "tx" and f.acked is None and (ev.raw is None or f.raw == ev.raw):
                f.acked, f.raw = bool(ev.ack), None
                break
        text, mark = "TX status", "ACK" if ev.ack else "no ACK"
    elif w == "ASSOC_REQ":
        if ev.pmkids:
            a.pmkids = a.pmkids or list(ev.pmkids)
            a.pmkid_offered = True
        text = "Association request" + (" with PMKID" if ev.pmkids else "")
    elif w == "ASSOC_RESP":
        a.assoc_status, a.assoc_index = ev.status, ev.index
        text, mark = f"Association response status {ev.status}", "" if ev.status == SUCCESS else "!"
    elif w == "CONNECT_RESULT":
        a.connect_status, a.connect_index = ev.status, ev.index
        text = f"CONNECT event status {ev.status}" + (" (timed out)" if ev.timed_out else "")
        mark = "" if ev.status == SUCCESS else "!"
        if ev.pmkids and not a.pmkids:
            a.pmkids = list(ev.pmkids)
    elif w in ("AUTH_TIMEOUT", "ASSOC_TIMEOUT"):
        a.timeout = (w, ev.index)
        text, mark = ("authentication" if w == "AUTH_TIMEOUT" else "association") + " timed out", "!"
    elif w == "EAPOL":
        number = ev.eapol or "?"
        label = f"4-way message {number}" if number in ("1", "2", "3", "4") else f"group message {number[-1]}"
        a.eapol.setdefault(label, ev.index)
        a.eapol_counts[label] += 1
        if ev.pmkid:
            a.eapol_pmkid = ev.pmkid
        text = f"EAPoL {label}"
    elif w == "AUTHORIZED":
        a.authorized_index = ev.index
        text = "port authorized"
    elif w == "TRY_START":
        text = "the supplicant starts a try (log)"
    elif w == "GAVE_UP":
        text, mark = f"the supplicant gives up (log: {(ev.log or {}).get('kind', '?')})", "!"
    elif w == "LOG_FACT":
        text = f"log: {(ev.log or {}).get('kind', '?')}"
    elif w in ("DISCONNECT", "DEAUTH", "DEAUTH_REQ"):
        a.disconnect = {"index": ev.index, "word": w, "reason": ev.reason, "reason_text": ev.text,
                        "by_ap": bool(ev.by_ap), "local": w == "DEAUTH_REQ" or (w == "DEAUTH" and not ev.by_ap
                                                                              and a.mode != "ap")}
        what = {"DISCONNECT": "DISCONNECT", "DEAUTH": "Deauthentication", "DEAUTH_REQ": "DEAUTHENTICATE request"}[w]
        why = ev.text if ev.source is None and ev.text else reason_text(ev.reason)
        text = what + (f" reason {why}" if ev.reason is not None else "") + \
            (" (by the AP)" if ev.by_ap and w == "DISCONNECT" else "")
    a.add_step(Step(ev.index, ev.time, src, dst, text, mark, word=w, status=ev.status if w != "ANSWER" else ev.errno))
    a.end_index, a.end_time = ev.index, ev.time

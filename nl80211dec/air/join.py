"""Join a netlink capture to an over-the-air capture of the same moment.

A management frame in netlink (TX request, TX status, RX event, AUTH_DATA)
is matched to its transmissions on the air by *content*: the SAE fields
(scalar, element, confirm, token...) or, for other frames, the body bytes -
never the sequence number, which the driver or firmware fills in.  The two
files' clocks differ; their offset is estimated from frames whose content
appears exactly once on each side (the median of the differences), not
assumed.
"""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..netlink.message import Attr, Message
from .frames import AirCapture, AirFrame, Key, frame_key, sae_key

SLACK = 0.05  # seconds of clock-offset error tolerated when ordering netlink and air events
HORIZON = 30.0  # a transmission more than this after its request is not that request's

TX_COMMANDS = {("FRAME", "request"), ("FRAME_TX_STATUS", "event"), ("AUTHENTICATE", "request")}


@dataclass
class Item:
    """A frame as netlink saw it: where it is (message, slot) and what it says (key); no decoded object."""

    index: int
    slot: int  # which of the message's frames, in payload order (what :func:`frames_of` yields)
    time: float
    direction: str  # "tx" (sent by this host) or "rx" (handed up by the driver)
    before_air: bool  # a request (precedes its transmissions) or a report (follows one)
    key: Key
    sae: bool
    matches: list[AirFrame] = field(default_factory=list)


@dataclass
class AirJoin:
    """What the join found, held as plain annotations keyed by (message index, frame slot).

    Nothing here points into a decoded message: the second decoding pass's
    802.11 layer asks :meth:`annotate` for each message as it decodes it, so
    its frames are complete (``on_air`` included) before anything else sees
    them, and no consumer writes into them afterwards.
    """

    offset: float | None  # air clock minus netlink clock, seconds
    offset_pairs: int
    air: AirCapture
    on_air: dict[tuple[int, int], tuple[float, tuple[AirFrame, ...]]]  # a netlink frame: (its time, transmissions)
    delivered: set[int]  # ids of air frames some netlink RX event reported
    tx_index: dict[int, list[AirFrame]]  # a TX request's message index -> its transmissions
    matched: set[int]  # ids of air frames matched to any netlink frame
    sae_not_on_air: int  # netlink SAE requests no transmission was found for

    def summary(self) -> dict[str, Any]:
        sae_air = self.air.sae_frames
        return {
            "frames": sum(self.air.counts.values()),
            "frames_not_kept": self.air.dropped,
            "sae_frames": len(sae_air),
            "matched_sae": sum(1 for a in sae_air if id(a) in self.matched),
            "netlink_sae_not_on_air": self.sae_not_on_air,
            "air_sae_not_in_netlink": sum(1 for a in sae_air if id(a) not in self.matched),
            "clock_offset_s": None if self.offset is None else round(self.offset, 6),
            "clock_offset_from": self.offset_pairs,
        }

    def to_netlink_time(self, air_time: float) -> float:
        return air_time - (self.offset or 0.0)

    def annotate(self, msg: Message) -> None:
        """Called by the 802.11 layer as it decodes ``msg``: its frames get the transmissions found."""
        for slot, (_attr, decoded) in enumerate(frames_of(msg)):
            found = self.on_air.get((msg.index, slot))
            if found is not None:
                time, frames = found
                shift = self.offset or 0.0
                decoded.on_air = [dict(af.as_dict(), offset_ms=round((af.time - shift - time) * 1000, 3))
                                  for af in frames]

    def facts(self, index_tx: list[int], ap: str | None, station: str | None, start: float,
              end: float) -> dict[str, Any]:
        """Air evidence for one attempt: its own SAE frames, and the peer's frames on the air."""
        ours = [(i, self.tx_index.get(i, [])) for i in index_tx]
        peer = []
        for af in self.air.sae_frames:
            t = self.to_netlink_time(af.time)
            if not (start - SLACK <= t <= end + 1.0):
                continue
            sa, da = af.frame.addr("SA"), af.frame.addr("DA")
            if (ap is not None and sa == ap) and (station is None or da == station):
                peer.append({"time": round(t, 6), "message": af.frame.sae.message, "status": af.frame.sae.status,
                             "acked": af.acked, "delivered": id(af) in self.delivered, "record": af.number})
        return {
            "our_sae": [{"index": i, "on_air": len(m), "acked": sum(1 for a in m if a.acked)} for i, m in ours],
            "our_sae_not_on_air": [i for i, m in ours if not m],
            "peer_sae_on_air": peer,
            "peer_sae_undelivered": [p for p in peer if not p["delivered"]],
        }


def frames_of(msg: Message) -> Iterator[tuple[Attr, Any]]:
    """The message's frames the join can match, in payload order: (attribute, its Frame or SaeBody)."""
    if msg.family != "nl80211" or msg.duplicate_of is not None:
        return
    for attr in msg.payloads or ():
        d = attr.decoded
        if d is None:
            continue
        if attr.kind == "sae" or (attr.kind == "frame" and hasattr(d, "subtype_name") and frame_key(d) is not None):
            yield attr, d


def items_of(messages: Iterable[Message]) -> list[Item]:
    """The first pass: what each netlink frame says and where it is, keeping no decoded object."""
    out = []
    keys: dict[Key, Key] = {}  # identical content shares one key (a storm of the same commit)
    for msg in messages:
        direction = "tx" if (msg.cmd_name, msg.role) in TX_COMMANDS else "rx"
        before = msg.role == "request"
        for slot, (attr, d) in enumerate(frames_of(msg)):
            key = sae_key(d) if attr.kind == "sae" else frame_key(d)
            assert key is not None  # frames_of yields matchable frames only
            key = keys.setdefault(key, key)
            if attr.kind == "sae":
                out.append(Item(msg.index, slot, msg.timestamp, "tx", before, key, True))
            else:
                out.append(Item(msg.index, slot, msg.timestamp, direction, before, key, d.sae is not None))
    return out


def join(items: list[Item], air: AirCapture) -> AirJoin:
    by_key: dict[Key, list[AirFrame]] = {}
    for af in air:
        key = af.frame.key  # taken when the air file was read
        if key is not None:
            by_key.setdefault(key, []).append(af)
    # The clock offset, from content that happened once: one request (or, for a
    # frame from the peer, one RX event) and one burst of transmissions.
    requests_by_key: dict[Key, list[Item]] = {}
    events_by_key: dict[Key, list[Item]] = {}
    for it in items:
        if it.before_air:
            requests_by_key.setdefault(it.key, []).append(it)
        elif it.direction == "rx":
            events_by_key.setdefault(it.key, []).append(it)
    diffs = []
    for key, frames in by_key.items():
        if frames[-1].time - frames[0].time > 1.0:
            continue  # several exchanges reuse this content: ambiguous
        reqs, evs = requests_by_key.get(key, []), events_by_key.get(key, [])
        if len(reqs) == 1:
            diffs.append(frames[0].time - reqs[0].time)
        elif not reqs and len(evs) == 1:
            diffs.append(frames[-1].time - evs[0].time)
    offset = statistics.median(diffs) if diffs else None
    shift = offset or 0.0
    by_item_key: dict[Key, list[Item]] = {}
    for it in items:
        by_item_key.setdefault(it.key, []).append(it)
    for content, its in by_item_key.items():
        frames = sorted(by_key.get(content, []), key=lambda af: af.time)
        frame_times = [af.time - shift for af in frames]
        requests = sorted((i for i in its if i.before_air), key=lambda i: i.time)
        request_times = [r.time for r in requests]
        for af, t in zip(frames, frame_times, strict=True):
            # a transmission (and its retries) belongs to the latest request before it ...
            k = bisect.bisect_right(request_times, t + SLACK)
            if k and t - requests[k - 1].time <= HORIZON:
                requests[k - 1].matches.append(af)
        for it in its:
            if it.before_air:
                continue
            n = bisect.bisect_right(frame_times, it.time + SLACK)
            if not n or it.time - frame_times[n - 1] > HORIZON:
                continue
            k = bisect.bisect_right(request_times, it.time)
            owner = requests[k - 1] if k else None
            if it.direction == "tx" and owner is not None:
                # ... a TX status reports the whole burst its request caused (retries included) ...
                it.matches.extend(af for af in owner.matches if af.time - shift <= it.time + SLACK)
            else:
                # ... and an RX event hands up the latest transmission before it
                it.matches.append(frames[n - 1])
    on_air: dict[tuple[int, int], tuple[float, tuple[AirFrame, ...]]] = {}
    delivered: set[int] = set()
    tx_index: dict[int, list[AirFrame]] = {}
    for it in items:
        on_air[(it.index, it.slot)] = (it.time, tuple(it.matches))  # rendered when its message is decoded
        if it.direction == "rx":
            delivered.update(id(af) for af in it.matches)
        if it.before_air:
            tx_index.setdefault(it.index, []).extend(it.matches)
    return AirJoin(offset, len(diffs), air, on_air, delivered, tx_index,
                   matched={id(af) for it in items for af in it.matches},
                   sae_not_on_air=sum(1 for it in items if it.sae and it.before_air and not it.matches))

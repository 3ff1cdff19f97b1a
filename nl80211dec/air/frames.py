"""Frames on the air: radiotap + 802.11, decoded by the same frame decoder as netlink's.

One decoder, two carriers: a frame seen on a monitor interface goes through
:func:`nl80211dec.dot11.frames.decode_frame` exactly like ATTR_FRAME does.
Beacons are counted, not kept; an ACK (or its absence) right after a frame
marks that frame acknowledged (or not).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from ..capture.reader import CaptureReader
from ..dot11.eapol import Eapol, decode_eapol
from ..dot11.frames import Frame, address, decode_frame
from ..errors import DecodeError
from ..sae.body import SaeAuthDecoder
from .radiotap import parse_radiotap

LINKTYPE_RADIOTAP = 127
LINKTYPE_80211 = 105
ACK_WINDOW = 0.005  # seconds: an ACK follows its frame after SIFS; monitor timestamps add jitter


# -- what identifies a frame's content (the join matches on it) ----------------------------------------

Key = tuple[Any, ...]  # a frame's content, as frame_key gives it


def sae_key(sae: Any) -> Key:
    return ("sae", sae.seq, sae.status, sae.group if sae.message != "confirm" else None, sae.token, sae.scalar,
            sae.element, sae.send_confirm, sae.confirm)


def frame_key(frame: Any) -> Key | None:
    """What identifies a frame's content, independent of sequence numbers and retries."""
    if frame is None or frame.ftype != 0 or frame.subtype_name in ("BEACON", "PROBE_REQ", "PROBE_RESP"):
        return None
    if frame.sae is not None:
        return sae_key(frame.sae)
    return (frame.subtype_name, frame.addr("SA"), frame.addr("DA"), bytes(frame.body))


class KeptFrame:
    """What the join reads of an air frame: type, flags, addresses, the SAE body and the content key.

    The decoded :class:`~nl80211dec.dot11.frames.Frame` (elements, fields,
    body bytes) is dropped once the key is taken: a long or hostile air capture
    must not cost a full frame tree per transmission.  Identical content shares
    one key and one SAE body (retransmissions, storms of the same commit).
    """

    __slots__ = ("ftype", "type_name", "subtype_name", "flags", "addrs", "sae", "key")

    def __init__(self, frame: Frame, key: Key | None, sae: Any, shared: dict[Any, Any]) -> None:
        self.ftype = frame.ftype
        self.type_name = frame.type_name
        self.subtype_name = frame.subtype_name
        flags, addrs = tuple(frame.flags), tuple(frame.addrs)
        self.flags: tuple[str, ...] = shared.setdefault(flags, flags)  # equal tuples kept once
        self.addrs: tuple[tuple[str, str], ...] = shared.setdefault(addrs, addrs)
        self.sae = sae
        self.key = key

    def addr(self, role: str) -> str | None:
        return address(self.addrs, role)


class AirFrame:
    """One frame on the air with its radio facts."""

    __slots__ = ("number", "time", "signal_dbm", "freq", "bad_fcs", "frame", "acked", "eapol")

    def __init__(self, number: int, time: float, radio: dict[str, Any], frame: KeptFrame) -> None:
        self.number = number
        self.time = time
        self.signal_dbm: int | None = radio.get("antenna_signal_dbm")
        self.freq: int | None = radio.get("freq")
        self.bad_fcs = "bad_fcs" in radio.get("flag_names", ())
        self.frame = frame
        self.acked: bool | None = None
        self.eapol: Eapol | None = None

    @property
    def retry(self) -> bool:
        return "retry" in self.frame.flags

    def as_dict(self) -> dict[str, Any]:
        return {"time": round(self.time, 6), "record": self.number, "retry": self.retry, "acked": self.acked,
                "signal_dbm": self.signal_dbm, "freq": self.freq, "bad_fcs": self.bad_fcs}


# management and EAPoL frames kept for the join (about 1 KiB each with the join's own records, identical
# content shared); beyond it they are counted (summary: frames_not_kept), so a capture of any length stays
# within 64 MiB (20,000 x ~1.1 KiB over a ~27 MiB start)
MAX_KEPT = 20_000


class AirCapture:
    """Read an over-the-air capture; keep what a join needs, count the rest."""

    def __init__(self, source: Any) -> None:
        self.source = source
        self.frames: list[AirFrame] = []
        self.counts: Counter[str] = Counter()
        self.problems = 0
        self.records = 0
        self.damage: str | None = None
        self.dropped = 0  # management/EAPoL frames beyond MAX_KEPT, counted
        # equal content kept once: a content key -> (that key, its SAE body); flag and address tuples -> themselves
        self._shared: dict[Any, Any] = {}
        self._read()

    def _read(self) -> None:
        reader = CaptureReader(self.source)
        sae = SaeAuthDecoder()
        last: AirFrame | None = None
        for rec in reader:
            self.records += 1
            if rec.linktype not in (LINKTYPE_RADIOTAP, LINKTYPE_80211):
                self.counts[f"link type {rec.linktype} (not 802.11)"] += 1
                continue
            try:
                radio, hdr = parse_radiotap(rec.data) if rec.linktype == LINKTYPE_RADIOTAP else ({}, 0)
            except DecodeError:
                self.problems += 1
                continue
            body = rec.data[hdr:]
            if "fcs_at_end" in radio.get("flag_names", []):
                body = body[:-4]
            frame = decode_frame(body, sae)
            name = f"{frame.type_name}/{frame.subtype_name}"
            self.counts[name] += 1
            if frame.problem:
                self.problems += 1
            if frame.ftype == 1 and frame.subtype_name == "ACK":
                if last is not None and last.acked is None and rec.timestamp - last.time <= ACK_WINDOW \
                        and frame.addr("RA") == _transmitter(last.frame):
                    last.acked = True
                continue
            if frame.ftype == 1 or frame.subtype_name in ("BEACON", "PROBE_REQ", "PROBE_RESP"):
                continue  # counted, not kept: a long capture holds thousands
            if last is not None and last.acked is None and _unicast(last):
                last.acked = False
            eapol = frame.ftype == 2 and frame.body[6:8] == b"\x88\x8e"  # LLC/SNAP + EAPoL ethertype
            if frame.ftype == 2 and not eapol:
                last = None
                continue  # data traffic: counted, not kept
            if len(self.frames) >= MAX_KEPT:
                self.dropped += 1
                last = None
                continue
            af = AirFrame(rec.number, rec.timestamp, radio, self._kept(frame))
            if eapol:
                af.eapol = decode_eapol(frame.body[8:])
            last = af
            self.frames.append(af)
        if last is not None and last.acked is None and _unicast(last):
            last.acked = False
        if reader.damage is not None:
            self.damage = str(reader.damage)

    def _kept(self, frame: Frame) -> KeptFrame:
        key = frame_key(frame)
        if key is None:
            return KeptFrame(frame, None, frame.sae, self._shared)
        key, sae = self._shared.setdefault(("key", key), (key, frame.sae))
        return KeptFrame(frame, key, sae, self._shared)

    def __iter__(self) -> Iterator[AirFrame]:
        return iter(self.frames)

    @property
    def sae_frames(self) -> list[AirFrame]:
        return [f for f in self.frames if f.frame.sae is not None]


def _transmitter(frame: Frame | KeptFrame) -> str | None:
    """Address 2 is the transmitter of every frame that has one."""
    return frame.addrs[1][1] if len(frame.addrs) > 1 else None


def _unicast(af: AirFrame) -> bool:
    da = af.frame.addr("DA") or af.frame.addr("RA") or ""
    return bool(da) and not int(da[:2], 16) & 1

"""``--ring N``: for runs of days, keep the newest N MB of capture, and the files around each failure.

The capture goes into segments ``OUT-0001.pcapng``, ``OUT-0002.pcapng``...
of at most N/4 MB each; when a new one starts, the oldest are deleted so
that the ring never holds more than N MB. When an attempt fails, the segments that
hold it (from a little before its start to its end) leave the ring: they are
renamed ``OUT-0003-failed.pcapng`` and kept, up to another N MB of them, the
oldest going first. Every segment starts with its own headers and the family
map, so each one decodes alone.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass

from .writer import PcapngWriter, packet_block

log = logging.getLogger("nl80211dec.live")

SEGMENTS = 4  # segments the ring budget is split into
MIN_SEGMENT = 64 * 1024
BEFORE_S = 30.0  # capture kept before a failed attempt's first message (the scan and CONNECT leading to it)
MB = 1 << 20


@dataclass
class Segment:
    number: int
    path: str
    size: int = 0
    first_time: float | None = None
    last_time: float | None = None
    kept: bool = False

    def overlaps(self, start: float, end: float) -> bool:
        return self.first_time is not None and self.last_time is not None \
            and self.first_time <= end and self.last_time >= start


def segment_path(path: str, number: int, failed: bool = False) -> str:
    stem, ext = os.path.splitext(path)
    return f"{stem}-{number:04d}{'-failed' if failed else ''}{ext or '.pcapng'}"


class Ring:
    """Write records into rotating segments; ``open_segment(path, number, ticks, timestamp)`` starts one."""

    def __init__(self, path: str, limit: int, open_segment: Callable[[str, int, int, float], PcapngWriter]) -> None:
        self.path = path
        self.limit = limit
        self.segment_size = max(MIN_SEGMENT, limit // SEGMENTS)
        self.open_segment = open_segment
        self.segments: list[Segment] = []
        self.writer: PcapngWriter | None = None

    @property
    def current(self) -> Segment | None:
        return self.segments[-1] if self.segments else None

    def start(self, ticks: int, timestamp: float) -> None:
        """Open the first segment now (so a path that cannot be written fails before the capture starts)."""
        if self.writer is None:
            self._rotate(ticks, timestamp)

    def write(self, ticks: int, data: bytes, orig_len: int, timestamp: float, comment: str | None = None) -> None:
        epb = packet_block(ticks, data, orig_len, comment)
        if self.writer is None or (self.writer.records and self.writer.size + len(epb) > self.segment_size):
            self._rotate(ticks, timestamp)  # a segment never grows past its size (one huge record alone may)
        assert self.writer is not None and self.current is not None
        self.writer.write_block(epb, timestamp)
        seg = self.current
        seg.size = self.writer.size
        seg.first_time = timestamp if seg.first_time is None else seg.first_time
        seg.last_time = timestamp

    def _rotate(self, ticks: int, timestamp: float) -> None:
        if self.writer is not None:
            self.writer.close()
        number = self.current.number + 1 if self.current else 1
        seg = Segment(number, segment_path(self.path, number))
        self.writer = self.open_segment(seg.path, number, ticks, timestamp)
        seg.size = self.writer.size
        self.segments.append(seg)
        self._trim(kept=False)
        self._trim(kept=True)
        log.info("capture continues in %s", seg.path)

    def _trim(self, kept: bool) -> None:
        """Delete the oldest closed segments of one kind (ring or kept) until that kind fits in the limit.

        The open segment counts at its full size when it is of that kind: it is still growing.
        """
        current = self.current
        closed = [s for s in self.segments if s.kept == kept and s is not current]
        reserve = self.segment_size if current is not None and current.kept == kept else 0
        while closed and sum(s.size for s in closed) + reserve > self.limit:
            old = closed.pop(0)
            self.segments.remove(old)
            try:
                os.unlink(old.path)
            except FileNotFoundError:
                pass
            if kept:
                log.info("deleted %s (more than %d MB of failures kept)", old.path, self.limit // MB)

    def keep(self, start: float, end: float) -> list[str]:
        """Take the segments holding ``[start - BEFORE_S, end]`` out of the ring; return their paths."""
        out = []
        for seg in self.segments:
            if seg.overlaps(start - BEFORE_S, end):
                if not seg.kept:
                    new = segment_path(self.path, seg.number, failed=True)
                    os.replace(seg.path, new)  # the open segment too: its writer keeps the same file
                    if self.writer is not None and self.writer.path == seg.path:
                        self.writer.path = new
                    seg.path, seg.kept = new, True
                out.append(seg.path)
        self._trim(kept=True)
        return out

    @property
    def files(self) -> list[str]:
        return [s.path for s in self.segments]

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()

"""One live run: nlmon interface, family map, packet socket, the file, and the same Session as a file.

``Live(...)`` is iterable: it yields messages, and each attempt as it ends,
exactly as :meth:`nl80211dec.api.Capture.stream` does for a file, because
the records go through the same :class:`~nl80211dec.session.Session`.
Everything the run set up is undone when the iteration ends, however it
ends (the end of ``duration``, :meth:`Live.stop`, a signal, an exception,
or a consumer that stops iterating).
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from ..pipeline import Summary
from ..sequence import Attempt
from ..session import Item, Session
from . import families as fam
from . import snapshot as snap
from .errors import Unavailable, pyroute2_missing, unavailable
from .nlmon import Monitor
from .packet import Packet, netlink_record, seconds
from .ring import MB, Ring
from .source import PacketSocket, Source
from .stop import Stop, held, on_signals
from .writer import PcapngWriter

log = logging.getLogger("nl80211dec.live")

# How often a quiet capture looks at the clock (silent attempts, drops, the duration). The sequencer is
# shown the clock one tick late, so a packet still on its way (a ring block not yet handed over) cannot
# belong to an attempt already closed as silent.
TICK_S = 1.0
MAX_BACKLOG = 20_000  # packets copied out of the ring and not decoded yet; beyond that the kernel's ring fills


@dataclass
class Backend:
    """Where a run gets the system's pieces (pyroute2 factories, the packet socket); tests hand in doubles."""

    iproute: Callable[[], Any]
    genl: Callable[[], Any]
    iw: Callable[[], Any]
    open_source: Callable[[str], Source]


def system_backend() -> Backend:
    """pyroute2 and the real packet socket; :class:`Unavailable` when pyroute2 is not installed."""
    try:
        from pyroute2 import IW, IPRoute
        from pyroute2.netlink.generic import GenericNetlinkSocket
    except ImportError:
        raise pyroute2_missing() from None
    logging.getLogger("pyroute2").setLevel(logging.CRITICAL + 1)  # failures come back as exceptions, said once
    return Backend(IPRoute, GenericNetlinkSocket, IW, PacketSocket)


def failed(attempt: Attempt) -> bool:
    return attempt.verdict != "ok"


class Live:
    """A live capture: iterate it for messages and attempts. See :func:`nl80211dec.live.live`."""

    def __init__(self, *, nlmon: str = "nlmon0", write: str | os.PathLike[str] | None = None,
                 ring_mb: float | None = None, snapshot: bool = False, duration: float | None = None,
                 attempts: bool = True, memo: bool = True, signals: bool = True,
                 backend: Backend | None = None) -> None:
        if ring_mb is not None and write is None:
            raise ValueError("a ring (ring_mb) needs a file to write (write=)")
        if ring_mb is not None and ring_mb <= 0:
            raise ValueError("ring_mb must be positive")
        self.nlmon = nlmon
        self.write = None if write is None else os.fspath(write)
        self.ring_mb = ring_mb
        self.snapshot = snapshot
        self.duration = duration
        self.attempts = attempts
        self.memo = memo
        self.signals = signals
        self.backend = backend
        self.summary = Summary()
        self.families: dict[str, int] = {}
        self.records = 0
        self.dropped = 0
        self.write_error: str | None = None
        self._out: PcapngWriter | Ring | None = None
        self.kept: dict[int, list[str]] = {}  # failed attempt number -> ring segments kept for it
        self.monitor: Monitor | None = None
        self.stopped_by: str | None = None
        self._stop = Stop()

    @property
    def files(self) -> list[str]:
        """The capture files written (a ring: the segments still on disk)."""
        out = self._out
        return [] if out is None else out.files if isinstance(out, Ring) else [out.path]

    def stop(self) -> None:
        """End the run at the next poll (from another thread, or a callback)."""
        self._stop.set("stop()")

    def __iter__(self) -> Generator[Item, None, None]:
        return self._run()

    # -- the run --------------------------------------------------------------------
    def _run(self) -> Generator[Item, None, None]:
        backend = self.backend or system_backend()
        with ExitStack() as stack:
            if self.signals:
                stack.enter_context(on_signals(self._stop))
            self.monitor = monitor = Monitor(backend.iproute, self.nlmon)
            monitor.__enter__()
            stack.callback(self._remove, monitor)
            families = self._families(backend)
            source = backend.open_source(monitor.name)
            stack.callback(source.close)
            session = Session(memo=self.memo, attempts=self.attempts)
            self.summary = session.summary
            ticks, when = self._now(source)
            head = fam.family_packets(families, ticks, when)
            self._output(source, families, head, stack)
            log.info("capturing netlink on %s%s; Ctrl-C stops", monitor.name,
                     f", writing {self.write}" if self._out is not None else
                     " (not written: -w OUT.pcapng keeps it)")
            for packet in head:
                yield from self._one(packet, session)
            if self.snapshot:
                self._snapshot(backend)
            yield from self._loop(source, session)
            yield from self._items(session.finish())

    def _remove(self, monitor: Monitor) -> None:
        with held():
            monitor.remove()

    def _families(self, backend: Backend) -> list[fam.Family]:
        try:
            found = fam.resolve(backend.genl)
        except Unavailable:
            raise
        except Exception as e:
            raise unavailable("families", e) from None
        self.families = fam.as_map(found)
        if "nl80211" not in self.families:
            log.warning("nl80211 is not registered (no wireless driver loaded?): its id will be assumed if it "
                        "appears later")
        log.info("families: %s", " ".join(f"{f.name}={f.id:#x}" for f in found))
        return found

    @staticmethod
    def _now(source: Source) -> tuple[int, float]:
        ticks = source.now()
        return ticks, seconds(ticks, source.resolution)

    def _comments(self, families: list[fam.Family], head: int) -> list[str]:
        assert self.monitor is not None
        how = "created for this run" if self.monitor.created else "already present"
        out = [f"nl80211dec live: netlink traffic of nlmon interface {self.monitor.name} ({how})",
               "families asked of nlctrl at start: " + " ".join(f"{f.name}={f.id:#x}" for f in families),
               f"the first {head} packets are that family map written by nl80211dec as CTRL_CMD_NEWFAMILY "
               "messages, not captured traffic"]
        if self.snapshot and self.write:
            out.append(f"wireless state at start: the GET_WIPHY/GET_INTERFACE/GET_STATION dumps in the first file, "
                       f"and {os.path.basename(self._snapshot_path())}")
        return out

    def _output(self, source: Source, families: list[fam.Family], head: list[Packet], stack: ExitStack) -> None:
        if self.write is None:
            return
        assert self.monitor is not None
        comments = self._comments(families, len(head))
        name, resolution = self.monitor.name, source.resolution

        def open_segment(path: str, number: int, ticks: int, when: float) -> PcapngWriter:
            seg = PcapngWriter(path, ifname=name, resolution=resolution,
                               comments=comments + [f"segment {number} of a ring of {self.ring_mb:g} MB"])
            if number > 1:  # the first segment gets the map as the run's first records
                for p in fam.family_packets(families, ticks, when):
                    record = netlink_record(0, p)
                    seg.write(ticks, record.data, record.orig_len, when, fam.NOTE + " (repeated in this segment)")
            return seg

        try:
            if self.ring_mb is not None:
                ring = Ring(self.write, int(self.ring_mb * MB), open_segment)
                ring.start(*self._now(source))
                out: PcapngWriter | Ring = ring
            else:
                out = PcapngWriter(self.write, ifname=name, resolution=resolution, comments=comments)
        except OSError as e:
            raise Unavailable(f"cannot write {self.write}: {e.strerror or e}") from None
        stack.callback(out.close)
        self._out = out

    def _snapshot_path(self) -> str:
        assert self.write is not None
        return os.path.splitext(self.write)[0] + ".snapshot.json"

    def _snapshot(self, backend: Backend) -> None:
        try:
            state = snap.take(backend.iw)
        except Exception as e:  # no nl80211 (no driver), or pyroute2 refuses: the capture goes on without it
            log.warning("no snapshot of the wireless state: %s", e)
            return
        if self.write is not None:
            snap.write(state, self._snapshot_path())
            log.info("wireless state at start written to %s", self._snapshot_path())

    def _loop(self, source: Source, session: Session) -> Iterator[Item]:
        """Wait for packets; decode them, emptying the kernel's ring between two of them (decoding is the slow
        part: a ring left full while a burst is decoded drops what comes next, the lab saw it under TCG)."""
        deadline = None if self.duration is None else time.monotonic() + self.duration
        backlog: deque[Packet] = deque()
        while not self._stop:
            timeout = TICK_S if deadline is None else max(0.0, min(TICK_S, deadline - time.monotonic()))
            backlog.extend(source.receive(timeout))
            quiet = not backlog
            while backlog:
                yield from self._one(backlog.popleft(), session)
                if deadline is not None and time.monotonic() >= deadline:
                    self._stop.set("duration")
                if not self._stop and len(backlog) < MAX_BACKLOG:
                    backlog.extend(source.receive(0))
            if source.exhausted:
                self._stop.set("end of the source")
                break
            if quiet:  # nothing waiting: the clock, not a backlog, says how long attempts have been silent
                yield from self._ended(session.tick(self._now(source)[1] - TICK_S))
            self._drops(source)
            if deadline is not None and time.monotonic() >= deadline:
                self._stop.set("duration")
        self._drops(source)
        self.stopped_by = self._stop.reason

    def _one(self, packet: Packet, session: Session) -> Iterator[Item]:
        self.records += 1
        record = netlink_record(self.records, packet)
        if self._out is not None and self.write_error is None:  # on disk before it is decoded
            try:
                self._out.write(packet.ticks, record.data, record.orig_len, record.timestamp, packet.comment)
            except OSError as e:  # disk full, the card gone: say it once, go on showing what happens
                log.error("cannot write the capture any more (%s): the run goes on without a file",
                          e.strerror or e)
                self.write_error = str(e)
        yield from self._items(session.feed(record))

    def _items(self, items: list[Item]) -> Iterator[Item]:
        for item in items:
            if isinstance(item, Attempt):
                yield from self._ended([item])
            else:
                yield item

    def _ended(self, attempts: list[Attempt]) -> Iterator[Attempt]:
        out = self._out
        for a in attempts:
            if isinstance(out, Ring) and failed(a) and self.write_error is None:
                self._keep(out, a)
            yield a

    def _keep(self, ring: Ring, a: Attempt) -> None:
        """Take the segments of a failed attempt out of the ring, and say where it is."""
        try:
            self.kept[a.number] = ring.keep(a.start_time, a.end_time or a.start_time)
        except OSError as e:  # a segment renamed or deleted behind our back
            log.warning("could not keep the files of attempt %d: %s", a.number, e)
            return
        log.info("attempt %d failed (%s): kept in %s", a.number, a.verdict,
                 ", ".join(self.kept[a.number]) or "nothing (already rotated out: a larger --ring)")

    def _drops(self, source: Source) -> None:
        dropped = source.dropped()
        if dropped > self.dropped:
            log.warning("the kernel dropped %d packets so far (the ring was full): the capture has gaps",
                        dropped)
        self.dropped = dropped

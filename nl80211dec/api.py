"""The Python API: ``nl80211dec.open(path)`` and the :class:`Capture` it returns."""

from __future__ import annotations

import io
import os
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any, Union

from .capture.reader import CaptureReader, Record, _open_binary
from .capture.spool import PipeSpool
from .errors import NotACaptureError
from .netlink.message import Message
from .pipeline import Summary
from .render.html import install as _install_html
from .sequence import Attempt
from .sequence.events import Event
from .session import Session
from .textlog.iwmon import IwmonTextReader, looks_like_iwmon_text
from .textlog.journal import looks_like_log

_install_html()

if TYPE_CHECKING:
    from .air.join import AirJoin

Source = Union[str, "os.PathLike[str]", bytes, bytearray, IO[bytes]]
SNIFF = 1 << 16  # bytes read to tell a capture from iwmon text or a log
UNPLACED_SHOWN = 20


def _head(source: Source) -> bytes:
    """The first bytes of an input, decompressed when it is gzip."""
    f, compressed = _open_binary(source)
    try:
        return f.read(SNIFF)
    except (OSError, EOFError, zlib.error):
        return b""
    finally:
        if compressed or isinstance(source, (str, os.PathLike)):
            f.close()


def input_kind(source: Source) -> str:
    """'capture' (pcap/pcapng), 'iwmon-text' or 'log', by content; NotACaptureError for anything else."""
    try:
        CaptureReader(source).close()
        return "capture"
    except NotACaptureError as e:
        if "compressed stream" in e.message:
            raise  # a damaged gzip file: saying it is not iwmon text either would only confuse
        if hasattr(source, "seek"):
            source.seek(0)
        head = _head(source)
        if looks_like_iwmon_text(head):
            return "iwmon-text"
        if looks_like_log(head):
            return "log"
        raise NotACaptureError(f"{e.message}; nor is it iwmon text or a journal/daemon log", layer="capture",
                               offset=0) from None


class _NoRecords:
    """A log given as the main input: no records; its lines are the evidence (see ``logs``)."""

    skipped: Counter[str] = Counter()
    damage = None
    position = 0

    def __init__(self, source: Source) -> None:
        self.families: dict[str, int] = {}

    def __iter__(self) -> Iterator[Record]:
        return iter(())

    def close(self) -> None:
        pass


_READERS: dict[str, Any] = {"capture": CaptureReader, "iwmon-text": IwmonTextReader, "log": _NoRecords}
MAX_LOG_EVENTS = 200_000  # log events kept per log for placing; more are counted
WALL_SLACK = 60.0  # seconds a wall-clock log may start before or end after the capture and still be "the same clock"


def _log_name(src: Source, n: int) -> str:
    if isinstance(src, (str, os.PathLike)):
        return os.path.basename(os.fspath(src))
    return getattr(src, "name", None) or f"log {n + 1}"


def _place_log(src: Source, n: int, points: list[tuple[str, str, float]], alone: bool, span: list[float]
               ) -> tuple[list[Event], dict[str, Any]]:
    """One log's sequencer events on the capture's clock (read alone: its own clock), and what it gave."""
    from .sequence.logwords import log_event, prepare
    from .textlog.journal import read_log
    from .textlog.log_event import LogEvent
    from .textlog.log_offset import clock_offset

    name = _log_name(src, n)
    read = read_log(src)  # type: ignore[arg-type]  # a bytearray reads as bytes
    kept: list[LogEvent] = []
    dropped = 0
    for le in read.events:
        if len(kept) >= MAX_LOG_EVENTS:
            dropped += 1
            continue
        kept.append(le)
    kept = prepare(kept)
    report: dict[str, Any] = {"name": name, "lines": read.lines, "events": len(kept), "events_dropped": dropped,
                              "unplaced_lines": read.unplaced_count, "offset_s": None, "offset_pairs": 0,
                              "placed": alone}
    offset = 0.0
    if not alone:
        sides = Counter(le.side for le in kept)
        side = "ap" if sides["ap"] > sides["station"] else "station"
        found = clock_offset(kept, [(k, t) for s, k, t in points if s == side])
        timed = [le.time for le in kept if le.time is not None and le.clock == "wall"]
        if found is None and timed and len(span) == 2 and span[0] > 1e9 \
                and span[0] - WALL_SLACK <= timed[0] <= span[1] + WALL_SLACK:
            found = (0.0, 0)  # both on wall clocks that agree to the minute: the same clock, unchecked
            report["assumed_same_clock"] = True
        if found is None:
            report["why_not_placed"] = ("its lines carry no time" if all(le.time is None for le in kept) else
                                        "it shares no moment with the capture")
            return [], report
        offset, report["offset_pairs"] = found
        report["offset_s"], report["placed"] = round(offset, 6), True
    out = []
    last = 0.0
    for le in kept:
        if le.time is None and not alone:
            continue
        t = last if le.time is None else le.time + offset
        last = t
        ev = log_event(le, name, t, le.line if alone else -1)
        if ev is not None:
            out.append(ev)
        elif alone:  # a line that names no step still tells how long the log went on
            out.append(Event("TICK", le.line, t, source=name, line=le.line))
    return out, report


def _log_note(r: dict[str, Any]) -> str:
    if not r["placed"]:
        return f"log {r['name']}: {r['events']} events from {r['lines']} lines, not placed: {r['why_not_placed']}"
    where = "read alone" if r["offset_s"] is None else \
        "placed on the capture's clock, taken to be the same wall clock (no moment both show to check it)" \
        if r.get("assumed_same_clock") else \
        f"placed {r['offset_s']:+.3f} s from the capture's clock ({r['offset_pairs']} shared moments)"
    return f"log {r['name']}: {r['events']} events from {r['lines']} lines, {where}"


class Capture:
    """A capture file decoded lazily, one pass per iteration.

    Iterating yields :class:`~nl80211dec.netlink.message.Message` objects in
    capture order; :attr:`summary` accounts for every record of the last pass.
    Memory stays flat: nothing is kept between messages unless you keep it.
    """

    def __init__(self, source: Source, *, families: dict[str, int] | None = None, assume: bool = True,
                 air: Source | None = None, memo: bool = True, logs: Sequence[Source] = ()) -> None:
        self._source = source
        self._log_sources = list(logs)
        self.logs: list[dict[str, Any]] | None = None  # what each log gave, once placed (see place_logs)
        self._log_events: list[Event] | None = None
        self._memo = memo
        self._air_source = air
        self.air: AirJoin | None = None
        self._families = dict(families or {})
        self._assume = assume
        self._start = 0
        if isinstance(source, (bytes, bytearray)):
            self._source = bytes(source)
        elif not isinstance(source, (str, os.PathLike)):
            if source.seekable():
                self._start = source.tell()  # streamed again from here on every pass
            else:  # a pipe can be read once: spool it to a file as it is read, for later passes
                self._source = io.BufferedReader(PipeSpool(source))  # type: ignore[arg-type]
        # Fail now, with a clear error, if this is neither a capture nor a text log.
        self.input = input_kind(self._rewound())
        if self.input == "log":  # a log read alone: its lines are the evidence and drive the attempts
            self._log_sources.insert(0, self._source)
        self.summary: Summary = Summary()
        self.reader: Any = None

    def _rewound(self) -> Source:
        if hasattr(self._source, "seek"):
            self._source.seek(self._start)
        return self._source

    def __repr__(self) -> str:
        src = self._source
        name = src if isinstance(src, (str, os.PathLike)) else (
            f"<{len(src)} bytes>" if isinstance(src, bytes) else f"<{getattr(src, 'name', 'file object')}>")
        return f"<Capture {name}>"

    def join_air(self) -> AirJoin | None:
        """Read the over-the-air capture and match it to this one (done once, before decoding)."""
        if self._air_source is None or self.air is not None:
            return self.air
        from .air.frames import AirCapture
        from .air.join import items_of, join

        air = AirCapture(self._air_source)
        self.air = join(items_of(m for m in self._pass(False, None) if isinstance(m, Message)), air)
        return self.air

    def place_logs(self) -> list[Event]:
        """Read the logs and put their lines on the capture's clock (done once, before decoding).

        The offset between each log's clock and the capture's is estimated
        from moments both show (an SAE commit sent, a CONNECT, an EAPoL
        message), as the air join does; a log whose lines carry no time, or
        share no moment with the capture, is reported and not placed.
        """
        if self._log_events is not None:
            return self._log_events
        alone = self.input == "log"
        points: list[tuple[str, str, float]] = []
        span: list[float] = []  # the capture's first and last timestamps
        if self._log_sources and not alone:
            from .sequence import Sequencer

            seq = Sequencer()
            seq.points = points
            for item in self._pass(False, None, with_logs=False):
                if isinstance(item, Message):
                    seq.feed(item)
                    span[1:] = [item.timestamp]
                    if len(span) == 1:
                        span.insert(0, item.timestamp)
        self.logs, events = [], []
        for n, src in enumerate(self._log_sources):
            placed, report = _place_log(src, n, points, alone, span)
            self.logs.append(report)
            events.extend(placed)
        events.sort(key=lambda ev: ev.time)
        self._log_events = events
        return events

    def _pass(self, attempts: bool, air: AirJoin | None, with_logs: bool = True) -> Iterator[Message | Attempt]:
        reader = _READERS[self.input](self._rewound())
        families = dict(getattr(reader, "families", {}), **self._families)  # the user's word wins
        logs = self.place_logs() if with_logs and attempts and self._log_sources else []
        session = Session(families=families, assume=self._assume, memo=self._memo, air=air, attempts=attempts,
                          log_events=logs, logs_drive=self.input == "log")
        self.reader = reader
        self.summary = session.summary
        self.summary.input = self.input
        yield from session.run(reader)
        session.account_reader(reader, UNPLACED_SHOWN)
        if self.logs is not None and with_logs and attempts:
            self.summary.logs = list(self.logs)
            for r in self.logs:
                self.summary.notes.append(_log_note(r))

    def stream(self, attempts: bool = True) -> Iterator[Message | Attempt]:
        """One pass: every message in capture order, and each attempt right after the message that ended it.

        The command line and :meth:`messages`/:meth:`attempts` all use it
        (:class:`~nl80211dec.session.Session` composes the layers).
        """
        yield from self._pass(attempts, self.join_air())

    def records(self) -> Iterator[Record]:
        """The input's records as read (a text input: as rebuilt), for saving a subset (``-w``)."""
        reader = _READERS[self.input](self._rewound())
        try:
            yield from reader
        finally:
            reader.close()

    def filter(self, expr: str) -> list[Message]:
        """The messages a display filter matches (the ``-Y`` language, docs/user-guide.md)."""
        from .query import select

        return list(select(self, expr))

    def messages(self) -> Iterator[Message]:
        """Decode the capture from the start, yielding each message (frames annotated from the air capture)."""
        for item in self.stream(attempts=False):
            assert isinstance(item, Message)
            yield item

    __iter__ = messages

    def attempts(self) -> list[Attempt]:
        """Decode the capture and return its connection attempts with verdicts, in order of their start."""
        out = [a for a in self.stream() if isinstance(a, Attempt)]
        return sorted(out, key=lambda a: a.start_index)

    def to_list(self) -> list[Message]:
        return list(self.messages())

    def to_dataframe(self) -> Any:
        """A pandas DataFrame with one row per message (needs the [notebook] extra)."""
        from .render.dataframe import messages_dataframe

        return messages_dataframe(self.messages())

    def attempts_dataframe(self) -> Any:
        """A pandas DataFrame with one row per connection attempt, timings in ms."""
        from .render.dataframe import attempts_dataframe

        return attempts_dataframe(self.attempts())

    def _repr_html_(self) -> str:
        from html import escape

        rows = "".join(f"<li>{a._repr_html_()}</li>" for a in self.attempts())  # type: ignore[attr-defined]
        return f"<p>{escape(repr(self))}: {self.summary.messages} messages</p><ul>{rows}</ul>"


SCAPY_LINKTYPES = {"CookedLinux": 113, "CookedLinuxV2": 276, "RadioTap": 127, "Dot11": 105}


def from_scapy(packets: Any, linktype: int | None = None, **kwargs: Any) -> Capture:
    """Decode scapy packets (a PacketList, a list, or a PcapReader) of netlink captures.

    The link type comes from ``linktype``, else from a PcapReader, else from the
    packets' first layer (CookedLinux = 113); scapy reads nlmon's link type 253
    as Raw packets, so pass ``linktype=253`` for those.
    """
    from .capture.writer import pcap_bytes

    lt = linktype if linktype is not None else getattr(packets, "linktype", None)
    records = []
    for pkt in packets:
        if lt is None:
            lt = SCAPY_LINKTYPES.get(type(pkt).__name__)
            if lt is None:
                raise ValueError(f"cannot tell the link type of a {type(pkt).__name__} packet: pass linktype=")
        records.append((float(pkt.time), bytes(pkt)))
    return Capture(pcap_bytes(records, linktype=lt or 113), **kwargs)


def open(source: Source, *, families: dict[str, int] | None = None, assume: bool = True,  # noqa: A001
         air: Source | None = None, memo: bool = True, logs: Sequence[Source] = ()) -> Capture:
    """Open a capture, or the text evidence people post (path, bytes or binary file object).

    What ``source`` is is read from its content: pcap or pcapng (plain or
    gzip), iwmon's text output (its messages are rebuilt and decoded like a
    capture's; the summary says what text loses), or a journal / daemon log
    (read alone: its lines drive the attempts).
    ``families`` names generic-netlink ids the capture does not name itself,
    e.g. ``{"nl80211": 0x1c}``; ``assume=False`` forbids guessing nl80211.
    ``air`` is an over-the-air capture (radiotap) of the same moment: frames
    get ``on_air`` transmissions and verdicts use what was on the air.
    ``logs`` are journals or daemon logs of the same moment: their lines are
    placed on the capture's timeline (clock offset estimated from moments both
    show) and used as evidence (``Attempt.logs``; they settle what the capture
    leaves open, e.g. why a station never tried).
    Messages whose payload repeats an earlier one share its attribute tree
    (see :mod:`nl80211dec.pipeline.memo`; treat trees as read-only); ``memo=False``
    gives every message a tree of its own.
    Raises :class:`~nl80211dec.errors.NotACaptureError` for anything else.
    """
    return Capture(source, families=families, assume=assume, air=air, memo=memo, logs=logs)

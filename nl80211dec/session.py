"""One decoding pass, sans-IO: records in; messages, and attempts as they end, out.

This is the one place where the layers meet: the decoder (link, netlink,
nl80211), the 802.11/SAE layer, the over-the-air join and the sequencer.
:class:`nl80211dec.api.Capture` runs it over a file, ``nl80211dec live``
over a socket; both feed records and get the same items back.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Iterator
from typing import Any

from .capture.reader import Record
from .netlink.message import Message
from .pipeline import Decoder, Summary
from .pipeline.memo import MEMO_ENTRIES
from .sae.layer import Dot11Layer
from .sequence import Attempt, Sequencer
from .sequence.events import Event

Item = Message | Attempt


class Session:
    """Feed records (:meth:`feed`), then :meth:`finish`; each returns the messages and attempts ready.

    ``air`` is an :class:`~nl80211dec.air.join.AirJoin` built beforehand (the
    802.11 layer annotates frames from it as it decodes them; the verdicts get
    its air evidence); ``attempts=False``
    skips the sequencer.
    """

    def __init__(self, *, families: dict[str, int] | None = None, assume: bool = True, memo: bool = True,
                 air: Any = None, attempts: bool = True, log_events: Iterable[Event] = (),
                 logs_drive: bool = False) -> None:
        dot11 = Dot11Layer(annotate=air.annotate if air is not None else None)
        self.decoder = Decoder(families, assume, post=dot11.process, memo=MEMO_ENTRIES if memo else 0)
        self.summary: Summary = self.decoder.summary
        self.air = air
        self.sequencer = Sequencer(air=air, logs_drive=logs_drive) if attempts else None
        self._verdicts: Counter[str] = Counter()
        self._logs: deque[Event] = deque(log_events)  # on the capture's clock, in time order
        self._last_index = 0

    def feed(self, record: Record) -> list[Item]:
        return self._items(self.decoder.feed(record))

    def finish(self) -> list[Item]:
        out = self._items(self.decoder.flush())
        out.extend(self._logs_until(None))
        if self.sequencer is not None:
            out.extend(self._counted(self.sequencer.finish()))
            self.summary.attempts, self.summary.verdicts = sum(self._verdicts.values()), self._verdicts
        if self.air is not None:
            self.summary.air = self.air.summary()
        return out

    def account_reader(self, reader: Any, unplaced_shown: int) -> None:
        """What the reader skipped, could not read or rebuilt from text, into the summary (after :meth:`finish`).

        The one place a reader's accounting joins the decoder's, so the summary
        counts every record whoever read it.
        """
        summary = self.summary
        for reason, n in reader.skipped.items():
            summary.skipped[reason] += n
        for reason, n in getattr(reader, "unreadable", {}).items():  # packets the file holds and nobody can read
            summary.records += n
            summary.malformed_records += n
            summary.notes.append(f"{n} packet block(s) could not be read: {reason}")
        if reader.damage is not None:
            summary.damage = str(reader.damage)
            summary.damage_offset = reader.damage.offset
        if summary.input == "iwmon-text":
            summary.fidelity = list(reader.fidelity)
            summary.unplaced = reader.unplaced_count
            summary.unplaced_lines = list(reader.unplaced[:unplaced_shown])
            version = f" (iwmon {reader.version})" if reader.version else ""
            summary.notes.append(f"input is iwmon text{version}: messages were rebuilt from what iwmon "
                                 "printed; " + "; ".join(reader.fidelity))

    def tick(self, now: float) -> list[Attempt]:
        """Time passed without a record: the attempts silent for too long, closed and counted."""
        return [] if self.sequencer is None else self._counted(self.sequencer.tick(now))

    def run(self, records: Iterable[Record]) -> Iterator[Item]:
        for rec in records:
            yield from self.feed(rec)
        yield from self.finish()

    def _items(self, messages: list[Message]) -> list[Item]:
        out: list[Item] = []
        for msg in messages:
            out.extend(self._logs_until(msg.timestamp))
            out.append(msg)
            self._last_index = msg.index
            if self.sequencer is not None:
                out.extend(self._counted(self.sequencer.feed(msg)))
        return out

    def _logs_until(self, time: float | None) -> list[Item]:
        """Log lines placed before ``time`` (all of them at the end) go to the sequencer first."""
        out: list[Item] = []
        logs = self._logs
        while logs and (time is None or logs[0].time <= time):
            ev = logs.popleft()
            if ev.index < 0:
                ev.index = self._last_index  # the message it follows, for ordering and citing
            if self.sequencer is not None:
                out.extend(self._counted(self.sequencer.feed_event(ev)))
        return out

    def _counted(self, attempts: list[Attempt]) -> list[Attempt]:
        for a in attempts:
            self._verdicts[a.verdict] += 1
        return attempts

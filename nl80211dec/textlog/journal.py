"""Journals and daemon logs as typed evidence: read lines, keep the ones that matter, as LogEvents.

What people post is ``journalctl`` output (``-o short``, ``short-precise``,
``short-iso[-precise]``, ``short-full``, ``short-monotonic``, ``short-unix``,
``json``), ``dmesg`` (plain or ``-T``) and bare daemon logs (``iwd -d``,
``wpa_supplicant -dd -t``, ``hostapd -dd -t``), often through a mail client.
Every line is sorted into one of:

* a *log line* - its format gives a time and usually the daemon; the
  daemon's table (:mod:`.patterns`) may make a :class:`LogEvent` of it;
* a *continuation* - an indented line under the previous one (journalctl's
  multi-line messages, wpa_supplicant's ``hexdump_ascii`` rows);
* a *wrapped* tail - a mail client broke a long log line; it is joined back
  (the event keeps the first line's number) and counted in ``joined``;
* blank, or *unplaced* - counted, the first :data:`MAX_UNPLACED` kept with
  their line numbers. Nothing is dropped without being counted.

A bare log (no stamps) is one daemon's; which one, and which daemon wrote a
``-t`` log, is read from the first lines (:data:`patterns.DAEMON_HINTS`) unless
the caller says.  Reading streams: one line in memory (plus the head used for
that guess), so a journal of any size costs the same memory.  Mail damage
handled: CRLF, ``>`` quoting, wrapped lines, a cut first or last line, ANSI
colour, control bytes (escaped in ``text``), lines longer than
:data:`MAX_LINE` (cut, counted), a gzip file cut short (``damage``).
"""

from __future__ import annotations

import functools
import gzip
import io
import os
import re
import zlib
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass, replace
from typing import IO, Any

from ..wire.text import escape_str, text_of
from .log_event import LogEvent
from .log_formats import Prefixed, Years, parse_prefix
from .log_offset import clock_offset
from .patterns import IDENT_SOURCES, MERGE_KINDS, banner, hint, match

__all__ = ["LogEvent", "LogRead", "clock_offset", "looks_like_log", "read_log"]

MAX_LINE = 65536  # bytes; a longer line is cut here and the rest skipped
MAX_UNPLACED = 50
HEAD_LINES = 2000  # lines read ahead to decide what kind of log this is
HEAD_BYTES = 1 << 20
WRAP_MIN = 40  # mail clients wrap at 72-78 columns before a long word: a shorter line was not wrapped
MAX_JOINS = 8
BARE_HINTED = 0.2  # share of unstamped lines that must look like a daemon's for a log to count as bare
UNPLACED_TEXT = 200

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")
QUOTE = re.compile(r"^(?:[ \t]*>)+[ \t]?")
INNER_PREFIXES = re.compile(r"^(?:<\d>|\d{9,}\.\d{6}: |\[\s*\d+\.\d+\] )")  # wpa_cli level, hostapd_logger, printk
DUMP_ROW = re.compile(r"^\s+\S")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # binary, not a line a mail client wrapped
LINE_START = re.compile(r"^(?:\[[\s\d:.]+\]|\d{1,2}:\d\d:\d\d(?![:\w])|\d{4}-\d\d-\d\d|"
                        r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) |(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d|"
                        r"\d{9,}\.\d+|<\d+>|-- )")
IWMON_LINE = re.compile(r"^[<>@] (?:Request|Response|Event|Result|Complete|RTNL|Error|Message)\b")
PCAP_MAGICS = (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d", b"\x0a\x0d\x0d\x0a")


def clean(raw: bytes) -> str:
    """A physical line as text: line ending, ANSI colour and mail quoting gone; other bytes kept."""
    text = text_of(raw).rstrip("\r\n")
    if "\x1b" in text:
        text = ANSI.sub("", text)
    if text[:1] in ">\t " and ">" in text[:16]:
        text = QUOTE.sub("", text, count=1)
    return text


def looks_like_log(head: bytes) -> bool:
    """Does this start like a journal or daemon log (not a pcap, pcapng or iwmon's text)?"""
    if head[:4] in PCAP_MAGICS:
        return False
    if head[:2] == b"\x1f\x8b":
        head = _gunzip_head(head)
    if b"\x00" in head[:4096]:
        return False
    raw_lines = [line for line in text_of(head).splitlines()[:200] if line.strip()]
    if not raw_lines or raw_lines[0].lstrip().startswith("Wireless monitor ver"):
        return False
    if sum(1 for line in raw_lines if IWMON_LINE.match(line)) * 4 >= len(raw_lines):
        return False
    years = Years(year=2000)
    known = 0
    for raw in raw_lines:
        text = clean(raw.encode("utf-8", "surrogateescape")).lstrip()
        if parse_prefix(text, years) is not None or hint(text) is not None:
            known += 1
    return known >= max(1, len(raw_lines) // 3)


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(wbits=31).decompress(head, HEAD_BYTES)
    except zlib.error:
        return b""


@dataclass(slots=True)
class _Line:
    """A logical log line being assembled (a wrapped one grows until the next line starts)."""

    number: int
    prefixed: Prefixed
    source: str
    last_length: int
    joins: int = 0
    open: bool = True  # no blank line since: a following line may still belong to it


class LogRead:
    """A log being read: iterate ``events`` (once); the counts are final when it is exhausted (``finished``)."""

    def __init__(self, lines: Iterator[tuple[bytes, bool]], *, daemon: str | None, year: int | None,
                 closer: Any = None) -> None:
        self.formats: Counter[str] = Counter()  # lines per format (short, json, epoch, bare, continuation ...)
        self.lines = 0
        self.blank = 0
        self.joined = 0  # physical lines that were the wrapped tail of the line before
        self.overlong = 0
        self.unplaced_count = 0
        self.unplaced: list[tuple[int, str]] = []
        self.per_source: Counter[str] = Counter()  # log lines per daemon
        self.events_per_source: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()
        self.damage: str | None = None
        self.daemon = daemon  # who wrote lines that do not say (bare and -t logs)
        self.finished = False
        self._years = Years(year=year)
        self._closer = closer
        self._held: LogEvent | None = None  # an event the next line may complete (patterns.MERGE_KINDS)
        self.events: Generator[LogEvent, None, None] = self._run(lines)

    @property
    def year(self) -> int | None:
        """The year taken for stamps without one (``-o short``); ``year_guessed`` when nobody said."""
        return self._years.year

    @property
    def year_guessed(self) -> bool:
        return self._years.guessed

    def __iter__(self) -> Iterator[LogEvent]:
        return self.events

    def __enter__(self) -> LogRead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.events.close()
        if self._closer is not None:
            self._closer.close()
            self._closer = None

    def as_dict(self) -> dict[str, Any]:
        return {"lines": self.lines, "formats": dict(self.formats), "blank": self.blank, "joined": self.joined,
                "overlong": self.overlong, "unplaced_count": self.unplaced_count, "unplaced": list(self.unplaced),
                "per_source": dict(self.per_source), "events_per_source": dict(self.events_per_source),
                "kinds": dict(self.kinds), "daemon": self.daemon, "year": self.year,
                "year_guessed": self.year_guessed, "damage": self.damage, "finished": self.finished}

    # --- reading ---

    def _run(self, physical: Iterator[tuple[bytes, bool]]) -> Generator[LogEvent, None, None]:
        try:
            head = self._read_head(physical)
            bare = self._decide(head)
            pending: _Line | None = None
            for raw, cut in _chain(head, physical):
                self.lines += 1
                self.overlong += cut
                text = clean(raw)
                if not text.strip():
                    self.blank += 1
                    if pending is not None:
                        pending.open = False  # a paragraph ends: what follows is not this line's tail
                    continue
                prefixed = parse_prefix(text.lstrip(), self._years)
                if prefixed is None:
                    if pending is not None and pending.prefixed.format != "bare" and self._continues(pending, text):
                        continue
                    if not bare or "\x00" in text:
                        self._unplace(self.lines, text)
                        continue
                    prefixed = Prefixed("bare", None, "none", None, text)
                if pending is not None:
                    yield from self._complete(pending)
                self.formats[prefixed.format] += 1
                source = self._source(prefixed)
                self.per_source[source] += 1
                pending = _Line(self.lines, prefixed, source, len(text))
            if pending is not None:
                yield from self._complete(pending)
            if self._held is not None:
                yield self._held
                self._held = None
        except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
            self.damage = f"{type(exc).__name__}: {exc}"
        finally:
            self.finished = True
            if self._closer is not None:
                self._closer.close()
                self._closer = None

    def _continues(self, pending: _Line, text: str) -> bool:
        """An indented row under the line before, or its tail broken by a mail client (joined back)."""
        if not pending.open:
            return False
        if DUMP_ROW.match(text):
            self.formats["continuation"] += 1
            self.per_source[pending.source] += 1
            return True
        message = pending.prefixed.message
        # A short first line was not wrapped - unless it is the prefix alone; once wrapped, a tail may be short
        # (the word after it was long).
        short = pending.last_length < WRAP_MIN and pending.joins == 0 and message.strip()
        if (pending.prefixed.format == "journal-marker" or pending.joins >= MAX_JOINS or short
                or LINE_START.match(text) or CONTROL.search(text)):
            return False
        tail = text.strip()
        joined = message + tail if not message or message.endswith((" ", "\t")) else f"{message} {tail}"
        pending.prefixed = replace(pending.prefixed, message=joined)
        pending.last_length = len(text)
        pending.joins += 1
        self.joined += 1
        return True

    def _read_head(self, physical: Iterator[tuple[bytes, bool]]) -> list[tuple[bytes, bool]]:
        head: list[tuple[bytes, bool]] = []
        size = 0
        try:
            for item in physical:
                head.append(item)
                size += len(item[0])
                if len(head) >= HEAD_LINES or size >= HEAD_BYTES:
                    break
        except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
            self.damage = f"{type(exc).__name__}: {exc}"
        return head

    def _decide(self, head: list[tuple[bytes, bool]]) -> bool:
        """Bare log or not; and, unless given, the daemon of the lines that do not name theirs."""
        years = Years(year=2000)
        prefixed = plain = plain_hinted = 0
        votes: Counter[str] = Counter()
        after_stamped = False  # an unstamped line right under a stamped one is likely its wrapped tail
        for raw, _cut in head:
            text = clean(raw)
            if not text.strip():
                after_stamped = False
                continue
            found = parse_prefix(text.lstrip(), years)
            if found is None:
                if after_stamped:
                    continue
                plain += 1
                message = text
            else:
                prefixed += 1
                after_stamped = True
                if found.ident is not None:
                    continue
                message = found.message
            daemon = hint(_strip_inner(message))
            if daemon:
                votes[daemon] += 1
                plain_hinted += found is None
        if self.daemon is None and votes:
            self.daemon = votes.most_common(1)[0][0]
        # A bare daemon log: most lines unstamped, and they read like a daemon's (not a mail's prose).
        return plain > prefixed and plain_hinted >= BARE_HINTED * plain

    def _source(self, prefixed: Prefixed) -> str:
        if prefixed.ident is not None:
            return _ident_source(prefixed.ident)
        switched = banner(_strip_inner(prefixed.message))
        if switched is not None:
            self.daemon = switched
        return self.daemon or "unknown"

    def _unplace(self, number: int, text: str) -> None:
        self.unplaced_count += 1
        if len(self.unplaced) < MAX_UNPLACED:
            self.unplaced.append((number, escape_str(text[:UNPLACED_TEXT])))

    def _complete(self, line: _Line) -> Iterator[LogEvent]:
        """The events a completed line releases: a held event it does not complete, then its own."""
        message = _strip_inner(line.prefixed.message)
        found = match(line.source, message)
        held = self._held
        if found is not None and found.merge:
            if held is not None and held.kind == found.kind and held.source == found.source:
                self._held = replace(held, fields={**held.fields, **found.fields})
            return
        if held is not None and (found is not None or held.source == line.source):
            self._held = None
            yield held
        if found is None:
            return
        event = LogEvent(found.kind, found.source, found.side, line.prefixed.time, line.prefixed.clock,
                         line.number, escape_str(message), found.iface, found.peer, found.bssid, found.fields)
        self.events_per_source[found.source] += 1
        self.kinds[found.kind] += 1
        if event.kind in MERGE_KINDS:
            self._held = event  # the next line of its source may complete it
        else:
            yield event


@functools.lru_cache(maxsize=256)
def _ident_source(ident: str) -> str:
    name = os.path.basename(ident)
    return IDENT_SOURCES.get(name.lower(), name)


def _strip_inner(message: str) -> str:
    for _ in range(3):
        found = INNER_PREFIXES.match(message)
        if found is None:
            break
        message = message[found.end():]
    return message


def _chain(head: list[tuple[bytes, bool]], rest: Iterator[tuple[bytes, bool]]) -> Iterator[tuple[bytes, bool]]:
    yield from head
    head.clear()
    yield from rest


# --- opening ---------------------------------------------------------------------------------------------------

def read_log(source: str | os.PathLike[str] | bytes | IO[bytes] | IO[str], *, daemon: str | None = None,
             year: int | None = None) -> LogRead:
    """Read a journal or daemon log (path, bytes, text, or a binary or text file object; gzip transparently).

    ``daemon`` names who wrote lines that do not say (a bare or ``-t`` log);
    ``year`` is the year of ``-o short`` stamps (else the latest year that
    does not put the log in the future).  A string without a newline is a
    path (a missing file raises FileNotFoundError); with one, the log's text.
    """
    closer = None
    if isinstance(source, os.PathLike) or (isinstance(source, str) and "\n" not in source):
        stream: Any = open(source, "rb")  # noqa: SIM115 - closed by LogRead
        closer = stream
    elif isinstance(source, str):
        stream = io.BytesIO(source.encode("utf-8", "surrogateescape"))
    elif isinstance(source, (bytes, bytearray, memoryview)):
        stream = io.BytesIO(bytes(source))
    else:
        stream = source
    return LogRead(_physical_lines(stream), daemon=daemon, year=year, closer=closer)


def _physical_lines(stream: Any) -> Iterator[tuple[bytes, bool]]:
    """(line bytes, was cut) for every line; text streams are encoded back to bytes; gzip is unwrapped."""
    first = stream.read(0)
    if isinstance(first, str):
        lines: Any = _TextAsBytes(stream)
    else:
        peek = stream.read(2)
        joined = io.BufferedReader(_Prepend(peek, stream))
        lines = gzip.GzipFile(fileobj=joined) if peek == b"\x1f\x8b" else joined
    while True:
        chunk = lines.readline(MAX_LINE)
        if not chunk:
            return
        cut = len(chunk) >= MAX_LINE and not chunk.endswith(b"\n")
        while cut:
            rest = lines.readline(MAX_LINE)
            if not rest or rest.endswith(b"\n"):
                break
        yield chunk, cut


class _Prepend(io.RawIOBase):
    """A stream whose first bytes were already read to look at them."""

    def __init__(self, first: bytes, rest: Any) -> None:
        self._first = first
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._first:
            n = min(len(view), len(self._first))
            view[:n] = self._first[:n]
            self._first = self._first[n:]
            return n
        data = self._rest.read(len(view))
        if not data:
            return 0
        view[: len(data)] = data
        return len(data)


class _TextAsBytes:
    """A text file object read line by line as UTF-8 bytes (lone surrogates kept)."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def readline(self, size: int) -> bytes:
        return self._stream.readline(size).encode("utf-8", "surrogateescape")

"""Read iwmon's text output as if it were the capture it was printed from.

People post ``iwmon`` text, not pcaps.  :class:`IwmonTextReader` rebuilds
each printed message as the record iwmon would have written with ``-w``
(netlink messages as LINKTYPE_NETLINK records, PAE frames as EAPoL records)
so the decoder runs on them unchanged; ``fidelity`` says what the text lost.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from collections.abc import Iterator

from construct import ConstructError

from ..capture.reader import Record, _open_binary
from .iwmon_lines import HEADER, VERSION, Block, Line, LineSplitter, Stray, blocks, header_of
from .iwmon_messages import NL80211_ID, MessageBuilder

UNPLACED_KEPT = 200
UNPLACED_TEXT = 240  # characters of each unplaced line kept
MAX_LINE = 1 << 16  # a longer "line" is read in pieces: a file without newlines must not fill memory
SNIFF_BYTES = 4096
_GZIP = b"\x1f\x8b"
_CAPTURE_MAGICS = (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d",
                   b"\x0a\x0d\x0d\x0a")


def looks_like_iwmon_text(head: bytes) -> bool:
    """Do the first bytes of a file read as iwmon text?  (Compressed input: decompress first.)"""
    if head.startswith(_GZIP) or head[:4] in _CAPTURE_MAGICS or b"\0" in head[:SNIFF_BYTES]:
        return False
    lines = head[:SNIFF_BYTES].decode("utf-8", "replace").splitlines()
    if len(head) > SNIFF_BYTES and lines:
        lines = lines[:-1]  # the last line may be cut
    splitter = LineSplitter()
    headers = 0
    for text in lines:
        clean, _quoted = splitter._unquote(text.rstrip())
        if VERSION.match(clean.strip()):
            return True
        if HEADER.match(clean):
            headers += 1
    return headers >= 2 or (headers == 1 and len(lines) < 40)


def sniff(head: bytes) -> str | None:
    """What the first bytes of a file are: 'pcap', 'pcapng', 'gzip', 'iwmon-text' or None."""
    if head.startswith(_GZIP):
        return "gzip"
    if head[:4] == b"\x0a\x0d\x0d\x0a":
        return "pcapng"
    if head[:4] in _CAPTURE_MAGICS:
        return "pcap"
    return "iwmon-text" if looks_like_iwmon_text(head) else None


class IwmonTextReader:
    """Iterate the records rebuilt from iwmon text (a path, bytes, or a binary/text file; gzip too).

    Streaming: one message's lines are held at a time.  Mirrors
    :class:`~nl80211dec.capture.reader.CaptureReader`: ``skipped`` (a Counter
    of reasons), ``damage`` (always None: text has no framing to break),
    ``position`` and ``close()``; and says what a text input is: ``version``
    (from the 'Wireless monitor ver' line, once read), ``unplaced`` (the first
    lines no message owns, as (line number, text)), ``unplaced_count``,
    ``fidelity`` and ``families`` (the generic-netlink ids the records use).
    """

    format = "iwmon-text"

    def __init__(self, source) -> None:
        self._owns = isinstance(source, (str, os.PathLike))
        self._text: io.TextIOBase | None = source if isinstance(source, io.TextIOBase) else None
        if self._text is None:
            self._f, self.compressed = _open_binary(source)
        else:
            self.compressed = False
        self.skipped: Counter[str] = Counter()
        self.damage = None
        self.records = 0
        self.linktypes = [253]
        self.unplaced: list[tuple[int, str]] = []
        self.unplaced_count = 0
        self.messages = 0
        self.short = 0
        self.families = {"nl80211": NL80211_ID}
        self._splitter = LineSplitter()
        self._builder = MessageBuilder()
        self._pos = 0

    @property
    def version(self) -> str | None:
        return self._splitter.version

    @property
    def position(self) -> int:
        """Bytes of the (decompressed) text consumed so far: for progress indicators."""
        return self._pos

    def close(self) -> None:
        if self._text is None and (self._owns or self.compressed):
            self._f.close()

    # -- reading -------------------------------------------------------------
    def _physical(self) -> Iterator[tuple[int, int, str]]:
        number = 0
        if self._text is not None:
            while True:
                text = self._text.readline(MAX_LINE)
                if not text:
                    return
                number += 1
                yield number, self._pos, text
                self._pos += len(text.encode("utf-8", "surrogateescape"))
        while True:
            raw = self._f.readline(MAX_LINE)
            if not raw:
                return
            number += 1
            yield number, self._pos, raw.decode("utf-8", "surrogateescape")
            self._pos += len(raw)

    def __iter__(self) -> Iterator[Record]:
        try:
            for item in blocks(self._splitter.lines(self._physical()), self._splitter):
                if isinstance(item, Stray):
                    self._stray(item)
                    continue
                record = self._record(item)
                if record is not None:
                    yield record
        except (OSError, EOFError) as e:  # a cut gzip stream: what was read stands
            self.skipped[f"text ends early: {e}"] += 1
        finally:
            self.close()

    def _stray(self, item: Stray) -> None:
        if item.notice:
            self.skipped["iwmon notice line"] += 1
            return
        self._unplace(item.line)

    def _unplace(self, line: Line) -> None:
        self.unplaced_count += 1
        if len(self.unplaced) < UNPLACED_KEPT:
            self.unplaced.append((line.number, (" " * line.indent + line.text)[:UNPLACED_TEXT]))

    def _record(self, block: Block) -> Record | None:
        self.messages += 1
        try:
            rebuilt = self._builder.build(block)
        except (ValueError, OverflowError, KeyError, ConstructError):  # a header field out of range
            rebuilt = None
        if rebuilt is None:
            self.skipped[_why(block)] += 1
            return None
        if rebuilt.short:
            self.short += 1
        self.records += 1
        return Record(self.records, float(block.head["ts"] or 0.0), rebuilt.linktype, rebuilt.data,
                      len(rebuilt.data), block.line.offset, line=block.line.number)

    # -- what the text lost ----------------------------------------------------
    @property
    def fidelity(self) -> list[str]:
        """Short sentences: what this text input lost compared with a pcap of the same moment."""
        b = self._builder
        out = [
            "family ids are not in iwmon text: nl80211 messages are given id "
            f"{NL80211_ID:#x}, and iwmon prints no nlctrl message",
            "sequence numbers and port ids are synthesised for nl80211 (iwmon prints them only for RTNL); "
            "each answer is linked to the latest outstanding request of its command",
            "timestamps are iwmon's: seconds since the first message's second, to the microsecond",
        ]
        lost = sum(b.losses.reasons.values())
        if lost:
            top = ", ".join(f"{label} ({n})" for label, n in b.losses.labels.most_common(4))
            out.append(f"printed-only values: {lost} attributes were printed without their bytes and are missing"
                       f" (most: {top})")
        if b.losses.partial:
            out.append(f"{b.losses.partial} nested attributes or element lists were rebuilt in part")
        if self.short:
            out.append(f"{self.short} messages are shorter than iwmon's printed length (values or lines missing)")
        if b.zeroed:
            out.append(f"{b.zeroed} requests printed as 'Unknown (0x00)' with no attribute were rebuilt as the "
                       "zeroed requests they were (the kernel wipes key-carrying requests before iwmon copies them)")
        if b.unmatched:
            out.append(f"{b.unmatched} responses answer requests that are not in the text")
        if b.bodiless_rtnl:
            out.append(f"{b.bodiless_rtnl} RTNL messages printed without their body were left out; RTNL "
                       "attributes are not rebuilt")
        if self.unplaced_count:
            out.append(f"{self.unplaced_count} lines belong to no message (see unplaced)")
        return out


def _why(block: Block) -> str:
    kind = block.head["kind"]
    if kind == "RTNL":
        return "RTNL message printed without what its bytes need"
    if kind == "PAE":
        return "PAE frame printed without its full hexdump"
    if kind == "Response":
        return "response printed without its status"
    return f"{kind} message that could not be rebuilt"


__all__ = ["IwmonTextReader", "looks_like_iwmon_text", "sniff", "header_of"]

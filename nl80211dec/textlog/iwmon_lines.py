"""iwmon text as blocks: one header line and the indented lines under it.

Posted logs are rarely clean.  This module undoes what mail clients and
terminals do to them - CRLF, ``>`` quoting, long lines wrapped at 60-78
columns, a header's timestamp pushed to the next line - and says which
lines belong to no message, so nothing is dropped without a count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

HEADER = re.compile(
    r"^(?P<dir>[<>]) (?P<kind>Request|Response|Result|Event|Complete|RTNL|PAE): "
    r"(?:(?P<name>.+?) \((?P<num>0x[0-9a-fA-F]+)\) )?len (?P<len>\d+)"
    r"(?: \[(?P<flags>[^\]]*)\])?(?:\s+(?P<ts>\d+\.\d{6}))?$")
VERSION = re.compile(r"^Wireless monitor ver (\S+)$")
HEX_LINE = re.compile(r"^([0-9a-f]{2}(?: [0-9a-f]{2}){0,15})(?:  |\s*$)")
_QUOTE = re.compile(r"^> ?")

# iwmon's own notices between messages: expected, counted, not unplaced.
NOTICES = (
    re.compile(r"^/sys/class/net/\S+/uevent do not exist$"),
    re.compile(r"^Created interface \S+$"),
    VERSION,
)
# Shell prompts and commands people paste around a log: never a wrapped tail.
# An elision mark ('...', '[snip]') where the poster cut the log: never a wrapped tail either.
ELISION = re.compile(r"^(?:\.\.\.|\u2026|\[\.\.\.\]|\[snip\]|<snip>)$", re.IGNORECASE)
PROMPT = re.compile(r"^(?:\S+@\S+.*[#$%]|[#$] |\[\S+@\S+)")
BARE_HEX = re.compile(r"^[0-9a-f]{2}(?: [0-9a-f]{2})*$")
WRAP_MIN = 50  # a line this long may have been wrapped by a mail client (they wrap at 72-78)
JOINED_MAX = 400  # iwmon's longest lines are ~130 characters: more is pasted text, not a wrap


@dataclass(slots=True)
class Line:
    """One logical line: where it starts in the file, its indentation and text."""

    number: int
    offset: int
    indent: int
    text: str

    @property
    def level(self) -> int:
        """iwmon's nesting level: 4 spaces per level, first level at 4 (tolerates one lost space)."""
        return (self.indent + 2) // 4 - 1


@dataclass(slots=True)
class Block:
    """A message as printed: the header's fields and the body lines."""

    line: Line
    head: dict[str, str | None]
    body: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class Stray:
    """A line no message owns: an iwmon notice, or text that cannot be placed."""

    line: Line
    notice: bool


def header_of(text: str) -> dict[str, str | None] | None:
    m = HEADER.match(text)
    return m.groupdict() if m else None


def is_notice(text: str) -> bool:
    return any(p.match(text) for p in NOTICES)


def hex_bytes(text: str) -> bytes | None:
    """The bytes of one hexdump line (hex column only), or None when it is not one."""
    m = HEX_LINE.match(text)
    return bytes.fromhex(m.group(1)) if m else None


class LineSplitter:
    """Physical lines in, logical lines out: unquoted, unwrapped, with their numbers.

    Quoting is learned from the first quoted header (``> > Event`` is a quoted
    event); from then on the same depth of ``>`` is taken off every line.
    """

    def __init__(self) -> None:
        self.quote_depth = 0
        self.version: str | None = None

    def _unquote(self, text: str) -> tuple[str, bool]:
        """(text without quote marks, whether the marks were there)."""
        if self.quote_depth == 0:
            if header_of(text) is None and text.startswith(">"):
                rest, depth = text, 0
                while rest.startswith(">") and depth < 8:
                    rest, depth = _QUOTE.sub("", rest, count=1), depth + 1
                    if header_of(rest.rstrip()) is not None or is_notice(rest.strip()):
                        self.quote_depth = depth
                        return rest, True
            return text, False
        rest = text
        for _ in range(self.quote_depth):
            if not rest.startswith(">"):
                return text, False
            rest = _QUOTE.sub("", rest, count=1)
        return rest, True

    def lines(self, physical: Iterable[tuple[int, int, str]]) -> Iterator[Line]:
        pending: Line | None = None
        for number, offset, raw in physical:
            text, quoted = self._unquote(raw.rstrip("\r\n").rstrip())
            stripped = text.lstrip(" ")
            if not stripped:
                if pending is not None:
                    yield pending
                    pending = None
                continue
            cur = Line(number, offset, len(text) - len(stripped), stripped)
            if pending is not None and self._continues(pending, cur, quoted):
                pending.text = _joined(pending, cur)
                continue
            if pending is not None:
                yield pending
            pending = cur
        if pending is not None:
            yield pending

    def _continues(self, prev: Line, cur: Line, quoted: bool) -> bool:
        """Is ``cur`` the wrapped tail of ``prev``?"""
        prev_head = header_of(prev.text) if prev.indent == 0 else None
        if prev.indent == 0 and prev.text.startswith(("<", ">")) and (prev_head is None or prev_head["ts"] is None):
            joined = header_of(prev.text + " " + cur.text.lstrip())
            return joined is not None and joined["ts"] is not None  # a header wrapped before its end
        if cur.indent > 1 or (self.quote_depth and quoted is False and cur.text.startswith(">")):
            return False  # body lines are indented by 4 (3 when quoting ate a space); a tail starts at 0 or 1
        if header_of(cur.text) is not None or is_notice(cur.text) or ELISION.match(cur.text):
            return False
        if prev_head is None and prev.indent == 0:
            return False  # two lines of foreign text
        if not WRAP_MIN <= prev.indent + len(prev.text) <= JOINED_MAX:
            return False
        # a hexdump line cut before its printable column takes anything; other lines not a prompt
        return bool(BARE_HEX.match(prev.text)) or not PROMPT.match(cur.text)


def _joined(prev: Line, cur: Line) -> str:
    """A wrap breaks at a space and eats it: put one back (two before a hexdump's printable column)."""
    return prev.text + ("  " if BARE_HEX.match(prev.text) else " ") + cur.text


def blocks(lines: Iterable[Line], splitter: LineSplitter) -> Iterator[Block | Stray]:
    """Group logical lines into message blocks; everything else comes out as Stray."""
    current: Block | None = None
    for line in lines:
        head = header_of(line.text) if line.indent == 0 else None
        if head is not None:
            if current is not None:
                yield current
            current = Block(line, head)
            continue
        if line.indent == 0:  # not a message line; the message around it goes on (pasted text, notices)
            m = VERSION.match(line.text)
            if m:
                splitter.version = splitter.version or m.group(1)
            yield Stray(line, is_notice(line.text))
            continue
        if current is None:
            yield Stray(line, False)
        else:
            current.body.append(line)
    if current is not None:
        yield current

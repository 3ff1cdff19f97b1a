"""The line shapes a journal or daemon log comes in, and the time each one gives.

:data:`FORMATS` is tried top to bottom on every line; the first that matches
names the format, the time and its clock, the daemon (when the line names it)
and the message.  ``journalctl -o json`` lines are read by :func:`parse_json`.
Formats without a year (``-o short``) take it from a :class:`Years` that
follows the log across New Year.
"""

from __future__ import annotations

import calendar
import functools
import json
import re
import time as time_mod
from collections.abc import Callable
from dataclasses import dataclass

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = "|".join(MONTHS)
_DAY = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"
DIGITS = "0123456789"
_HOST_IDENT = r"(?P<host>[^\s\[\]]+) (?P<ident>[^\s\[\]:]+)(?:\[(?P<pid>\d+)\])?: ?(?P<msg>.*)$"


@dataclass(slots=True)
class Years:
    """The year of syslog-style stamps (they have none): given, or guessed so the log is not in the future."""

    year: int | None = None
    guessed: bool = False
    _last_month: int = 0
    last_key: tuple[str | None, ...] = ()  # the stamp read last and its second, for the next line
    last_second: int = 0

    def of(self, month: int, day: int, seconds_of_day: float) -> int:
        if self.year is None:
            now = time_mod.time()
            self.year = time_mod.gmtime(now).tm_year
            self.guessed = True
            if calendar.timegm((self.year, month, day, 0, 0, 0)) + seconds_of_day > now + 2 * 86400:
                self.year -= 1
        elif self._last_month and month < self._last_month - 6:  # Dec -> Jan
            self.year += 1
        self._last_month = month
        return self.year


@dataclass(frozen=True, slots=True)
class Prefixed:
    """A line split into what its format says."""

    format: str
    time: float | None
    clock: str
    ident: str | None  # the daemon as the line names it; None: the line does not say
    message: str


def _fraction(found: re.Match[str]) -> float:
    frac = found.group("frac")
    return float("0." + frac[1:]) if frac else 0.0


def _hms(text: str) -> int:
    h, m, s = (int(x) for x in text.split(":"))
    return h * 3600 + m * 60 + s


def _iso_time(found: re.Match[str], years: Years) -> float:
    y, mo, d = (int(x) for x in found.group("date").split("-"))
    seconds = calendar.timegm((y, mo, d, 0, 0, 0)) + _hms(found.group("hms")) + _fraction(found)
    tz = found.group("tz")
    if tz and tz != "Z":
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        seconds -= sign * (int(digits[:2]) * 3600 + int(digits[2:4]) * 60)
    return seconds


def _zone_time(found: re.Match[str], years: Years) -> float:
    """short-full names a zone by abbreviation only: taken as UTC (the offset to a capture is estimated anyway)."""
    tz = found.group("tz")
    if tz[0] in "+-":
        return _iso_time(found, years)
    y, mo, d = (int(x) for x in found.group("date").split("-"))
    return calendar.timegm((y, mo, d, 0, 0, 0)) + _hms(found.group("hms")) + _fraction(found)


def _syslog_time(found: re.Match[str], years: Years) -> float:
    mon, day_text, hms = found.group("mon", "day", "hms")
    key = (mon, day_text, hms, found.group("year") if "year" in found.re.groupindex else None)
    if years.last_key != key:  # consecutive lines mostly share their second
        month = MONTHS.index(mon) + 1
        day = int(day_text)
        of_day = _hms(hms)
        year = int(key[3]) if key[3] else years.of(month, day, of_day)
        years.last_key, years.last_second = key, _day_start(year, month, day) + of_day
    return years.last_second + _fraction(found)


@functools.lru_cache(maxsize=64)
def _day_start(year: int, month: int, day: int) -> int:
    return calendar.timegm((year, month, day, 0, 0, 0))


def _number_time(name: str) -> Callable[[re.Match[str], Years], float]:
    def read(found: re.Match[str], years: Years) -> float:
        return float(found.group(name))
    return read


@dataclass(frozen=True, slots=True)
class LineFormat:
    name: str
    regex: re.Pattern[str]
    time: Callable[[re.Match[str], Years], float] | None
    clock: str
    starts: str  # the characters a line in this format can begin with
    ident: str | None = None  # the daemon when the format implies it (dmesg: the kernel)
    precise: str | None = None  # the name when the stamp has a fraction


FORMATS = (
    LineFormat("short-iso", re.compile(
        r"^(?P<date>\d{4}-\d\d-\d\d)T(?P<hms>\d\d:\d\d:\d\d)(?P<frac>[.,]\d+)?(?P<tz>Z|[+-]\d\d:?\d\d)? "
        + _HOST_IDENT),
        _iso_time, "wall", DIGITS, precise="short-iso-precise"),
    LineFormat("short-full", re.compile(
        rf"^(?:{_DAY}) (?P<date>\d{{4}}-\d\d-\d\d) (?P<hms>\d\d:\d\d:\d\d)(?P<frac>\.\d+)? "
        r"(?P<tz>[A-Z]{1,5}|[+-]\d{4}) " + _HOST_IDENT), _zone_time, "wall", "MTWFS"),
    LineFormat("short", re.compile(
        rf"^(?P<mon>{_MONTH}) (?P<day>[ \d]?\d) (?P<hms>\d\d:\d\d:\d\d)(?P<frac>\.\d+)? " + _HOST_IDENT),
        _syslog_time, "wall", "JFMASOND", precise="short-precise"),
    LineFormat("short-monotonic", re.compile(
        r"^\[\s*(?P<mono>\d+\.\d+)\] (?P<host>[^\s\[\]]+) "
        r"(?P<ident>kernel|[^\s\[\]:]+(?=\[\d+\]:))(?:\[(?P<pid>\d+)\])?: ?(?P<msg>.*)$"),
        _number_time("mono"), "monotonic", "["),
    LineFormat("short-unix", re.compile(r"^(?P<unix>\d{9,}\.\d+) " + _HOST_IDENT), _number_time("unix"), "wall",
               DIGITS),
    LineFormat("epoch", re.compile(r"^(?P<unix>\d{9,}\.\d+): ?(?P<msg>.*)$"), _number_time("unix"), "wall",
               DIGITS),
    LineFormat("dmesg-ctime", re.compile(
        rf"^\[(?:{_DAY}) (?P<mon>{_MONTH}) +(?P<day>\d{{1,2}}) (?P<hms>\d\d:\d\d:\d\d) (?P<year>\d{{4}})\] "
        r"?(?P<msg>.*)$"),
        _syslog_time, "wall", "[", ident="kernel"),
    LineFormat("dmesg", re.compile(r"^\[\s*(?P<mono>\d+\.\d+)\] ?(?P<msg>.*)$"), _number_time("mono"), "monotonic",
               "[", ident="kernel"),
    LineFormat("journal-marker", re.compile(r"^-- (?P<msg>.*?) --$"), None, "none", "-", ident="journal"),
)


def parse_prefix(text: str, years: Years) -> Prefixed | None:
    """The format a line is in, or None when it starts like none of them."""
    if not text:
        return None
    first = text[0]
    if first in "{\x1e":
        return parse_json(text)
    for fmt in FORMATS:
        if first not in fmt.starts:
            continue
        found = fmt.regex.match(text)
        if found is None:
            continue
        try:
            seconds = fmt.time(found, years) if fmt.time else None
        except (ValueError, OverflowError):
            continue  # a stamp that only looks like one (month 13, day 0)
        groups = found.groupdict()
        name = fmt.precise if fmt.precise and groups.get("frac") else fmt.name
        return Prefixed(name, seconds, fmt.clock if seconds is not None else "none",
                        groups.get("ident") or fmt.ident, groups["msg"])
    return None


def parse_json(text: str) -> Prefixed | None:
    """One ``journalctl -o json`` (or json-seq) entry; None when it is not one."""
    try:
        entry = json.loads(text.lstrip("\x1e"))
    except (ValueError, RecursionError):
        return None
    if not isinstance(entry, dict) or "MESSAGE" not in entry:
        return None
    message = entry["MESSAGE"]
    if isinstance(message, list):  # journald writes a message that is not UTF-8 as its bytes
        try:
            message = bytes(int(b) & 0xFF for b in message).decode("utf-8", "surrogateescape")
        except (TypeError, ValueError):
            return None
    if not isinstance(message, str):
        return None
    seconds, clock = None, "none"
    for key, kind in (("__REALTIME_TIMESTAMP", "wall"), ("__MONOTONIC_TIMESTAMP", "monotonic")):
        value = entry.get(key)
        if isinstance(value, (str, int)) and str(value).isdigit():
            seconds, clock = int(value) / 1e6, kind
            break
    ident = entry.get("SYSLOG_IDENTIFIER") or entry.get("_COMM")
    if entry.get("_TRANSPORT") == "kernel":
        ident = "kernel"
    return Prefixed("json", seconds, clock, ident if isinstance(ident, str) else None, message)

"""Time formats by tshark's ``-t`` letters, so its users need not learn new ones.

``r`` seconds since the first message (the default), ``a``/``ad`` local time
of day / date and time, ``u``/``ud`` the same in UTC, ``e`` seconds since the
epoch, ``d`` since the previous message, ``dd`` since the previous message
shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

TIME_FORMATS = {"r": "seconds since the first message", "a": "local time of day", "ad": "local date and time",
                "u": "UTC time of day", "ud": "UTC date and time", "e": "seconds since the epoch",
                "d": "seconds since the previous message", "dd": "seconds since the previous message shown"}


WIDTHS = {"r": 10, "d": 9, "dd": 9, "e": 17, "a": 15, "u": 15, "ad": 26, "ud": 26}  # column widths in text


@dataclass
class Clock:
    """The times a format is relative to; the caller moves it on as messages pass and are shown."""

    first: float | None = None
    previous: float | None = None
    previous_shown: float | None = None

    def seen(self, ts: float) -> None:
        if self.first is None:
            self.first = ts

    def passed(self, ts: float, shown: bool) -> None:
        self.previous = ts
        if shown:
            self.previous_shown = ts


def _wall(ts: float, utc: bool, date: bool) -> str:
    try:
        when = dt.datetime.fromtimestamp(ts, dt.timezone.utc) if utc else dt.datetime.fromtimestamp(ts)
    except (OverflowError, OSError, ValueError):  # a timestamp no calendar holds: say it in seconds
        return f"{ts:.6f}"
    return when.strftime("%Y-%m-%d %H:%M:%S.%f" if date else "%H:%M:%S.%f")


def time_text(fmt: str, ts: float, clock: Clock) -> str:
    """``ts`` written in format ``fmt`` (a key of :data:`TIME_FORMATS`)."""
    if fmt == "r":
        return f"{ts - (ts if clock.first is None else clock.first):.6f}"
    if fmt == "e":
        return f"{ts:.6f}"
    if fmt in ("d", "dd"):
        before = clock.previous if fmt == "d" else clock.previous_shown
        return f"{0.0 if before is None else ts - before:.6f}"
    return _wall(ts, utc=fmt.startswith("u"), date=fmt.endswith("d"))

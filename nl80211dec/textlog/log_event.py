"""One typed fact read from a journal or daemon log line: the contract with the sequencer.

The words (``kind``) and the fields each one carries are listed in
:data:`nl80211dec.textlog.patterns.KINDS`; this module only holds the shape,
so that the reader, the pattern tables and the clock-offset estimate can all
use it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CLOCKS = ("wall", "monotonic", "none")


@dataclass(frozen=True, slots=True)
class LogEvent:
    """What one log line says happened, in the vocabulary of ``patterns.KINDS``.

    ``time`` is epoch seconds when ``clock`` is "wall", seconds since boot (or
    since the log's own zero) when it is "monotonic", and None when the line
    carries no time at all ("none": a bare ``iwd -d`` log); order then comes
    from ``line``.  ``text`` is the line's message, escaped: it never holds a
    control character, an ANSI escape or a byte that is not UTF-8.
    """

    kind: str
    source: str  # iwd, wpa_supplicant, hostapd, kernel, connman, ...
    side: str  # "station" or "ap": whose view of the connection this line gives
    time: float | None
    clock: str  # one of CLOCKS
    line: int  # 1-based; a line rebuilt from a mail-wrapped one carries its first line
    text: str
    iface: str | None = None
    peer: str | None = None  # the other end's MAC (the AP for a station, the station for an AP)
    bssid: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON: the event's attributes, fields kept as a nested dict."""
        return {
            "kind": self.kind,
            "source": self.source,
            "side": self.side,
            "time": self.time,
            "clock": self.clock,
            "line": self.line,
            "text": self.text,
            "iface": self.iface,
            "peer": self.peer,
            "bssid": self.bssid,
            "fields": dict(self.fields),
        }

"""ANSI colour for a terminal: on when standard output is one, never when piped, NO_COLOR honoured.

Only text this program writes is coloured; strings from a capture are
escaped before they get here (:func:`nl80211dec.wire.text.escape_str`), so a
capture cannot smuggle its own escape sequences in.
"""

from __future__ import annotations

import os
from typing import TextIO

# what is coloured -> SGR parameters
STYLES = {
    "request": "36", "reply": "34", "ack": "32", "error": "1;31", "event": "35", "done": "34", "eapol": "33",
    "number": "2", "time": "2", "malformed": "1;31", "note": "33", "ok": "1;32", "bad": "1;31",
    "divergence": "1;31", "heading": "1",
}


def wanted(choice: str, stream: TextIO) -> bool:
    """``--color`` always/never/auto; auto colours a terminal unless NO_COLOR is set or TERM is dumb."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Paint:
    """``paint(style, text)``: the text in the style's colour, or unchanged when colour is off."""

    def __init__(self, on: bool = False) -> None:
        self.on = on

    def __call__(self, style: str, text: str) -> str:
        if not self.on or not text:
            return text
        code = STYLES.get(style)
        return f"\x1b[{code}m{text}\x1b[0m" if code else text


PLAIN = Paint(False)

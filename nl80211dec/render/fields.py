"""``-e FIELD``: one line per message, the fields' values in columns (tshark's ``-T fields``).

The fields are the filter's (:mod:`nl80211dec.query.fields`); ``-E`` takes
tshark's options: ``header=y``, ``separator=/t|/s|C``, ``occurrence=f|l|a``,
``aggregator=C``, ``quote=d|s|n``.  Codes print as numbers, the command as
its name; binary values in hex.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..netlink.message import Attr
from ..query.fields import Context, Named, lookup
from ..wire.text import escape_str
from .options import Options

if TYPE_CHECKING:
    from ..netlink.message import Message
    from ..pipeline import Summary
    from ..sequence import Attempt

FIELD_OPTIONS = {"header": ("y", "n"), "separator": None, "occurrence": ("f", "l", "a"), "aggregator": None,
                 "quote": ("d", "s", "n")}
DEFAULTS = {"header": "n", "separator": "\t", "occurrence": "a", "aggregator": ",", "quote": "n"}
_SPECIAL = {"/t": "\t", "/s": " "}
NAMED_AS_WORDS = {"cmd"}  # Named values these fields print by name; the others by number


def parse_field_option(text: str) -> tuple[str, str]:
    """'header=y' -> ('header', 'y'); ValueError says what is accepted."""
    key, sep, value = text.partition("=")
    if not sep or key not in FIELD_OPTIONS:
        raise ValueError(f"{text!r}: expected one of {', '.join(k + '=' for k in FIELD_OPTIONS)}")
    allowed = FIELD_OPTIONS[key]
    if allowed is not None and value not in allowed:
        raise ValueError(f"{key} takes {'|'.join(allowed)}, not {value!r}")
    return key, _SPECIAL.get(value, value)


def value_text(field: str, v: Any, aggregator: str) -> str:
    """One occurrence as a column shows it."""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, Named):
        return v.name if field in NAMED_AS_WORDS or v.number is None else str(v.number)
    if isinstance(v, float):
        return f"{v:.6f}"
    if isinstance(v, Attr):
        return _attr_text(v, aggregator)
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).hex()
    return escape_str(str(v))


def _attr_text(a: Attr, aggregator: str) -> str:
    val = a.value
    if a.kind == "flag":
        return "1"
    if isinstance(val, list):
        return aggregator.join(escape_str(str(x)) for x in val)
    if isinstance(val, (int, str)):
        return escape_str(str(val))
    return a.raw.hex()


class FieldsFormat:
    """Columns of field values; no attempts, no summary (``-T fields``)."""

    messages = True

    def __init__(self, full_hex: bool = False, options: Options | None = None) -> None:
        self.options = options or Options()
        self.fields = [lookup(name) for name in self.options.fields]
        opts = dict(DEFAULTS, **self.options.field_options)
        self.sep, self.agg, self.occurrence = opts["separator"], opts["aggregator"], opts["occurrence"]
        self.quote = {"d": '"', "s": "'", "n": ""}[opts["quote"]]
        self.show_header = opts["header"] == "y"
        self.clock: Any = None
        self.context: Context | None = None

    @property
    def needs_attempts(self) -> bool:
        return any(f.needs_attempts for f in self.fields)

    def preamble(self) -> str:
        """The column names, once before everything (``-E header=y``)."""
        return self.sep.join(f.name for f in self.fields) + "\n" if self.show_header else ""

    def header(self, path: str) -> str | None:
        return None

    def message(self, msg: Message, t0: float) -> str:
        ctx = self.context
        if ctx is None:
            ctx = self.context = Context()
        if ctx.t0 is None:
            ctx.t0 = t0
        cols = []
        for f in self.fields:
            values = f.get(msg, ctx)
            if values and self.occurrence != "a":
                values = values[:1] if self.occurrence == "f" else values[-1:]
            text = self.agg.join(value_text(f.name, v, self.agg) for v in values)
            cols.append(f"{self.quote}{text}{self.quote}" if self.quote and values else text)
        return self.sep.join(cols) + "\n"

    def attempt(self, a: Attempt, t0: float | None) -> str:
        return ""

    def summary(self, summary: Summary, path: str | None) -> str:
        return ""

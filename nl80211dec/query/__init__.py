"""Display filters and fields: ``-Y``/``-e`` on the command line, :func:`select` in Python.

:mod:`.grammar` reads the text, :mod:`.compile` checks it against the tables
(:mod:`.fields`) and makes a predicate; :mod:`.attempts` tells which
connection attempts a message belongs to.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..netlink.message import Message
from .attempts import AttemptIndex
from .compile import Filter, compile_filter
from .fields import FIELDS, Context, lookup
from .grammar import FilterError

__all__ = ["AttemptIndex", "Context", "FIELDS", "Filter", "FilterError", "compile_filter", "lookup", "select"]


def select(capture: Any, expr: str | Filter) -> Iterator[Message]:
    """The messages of ``capture`` (a :class:`~nl80211dec.Capture`) that ``expr`` matches, in order.

    A filter that reads ``attempt`` or ``verdict`` costs one more pass (the
    attempts first).
    """
    flt = expr if isinstance(expr, Filter) else compile_filter(expr)
    ctx = Context(AttemptIndex(capture.attempts()) if flt.needs_attempts else None)
    for msg in capture.messages():
        if ctx.t0 is None:
            ctx.t0 = msg.timestamp
        if flt(msg, ctx):
            yield msg
        ctx.advance(msg)

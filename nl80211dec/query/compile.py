"""Syntax tree -> a predicate over messages, with names and values checked against the tables first.

Every mistake a table can catch is caught here, before any message is read,
and reported at its column: an unknown field, attribute or command, a word
where a number belongs, a regular expression that does not compile.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..netlink.message import Attr, Message
from .fields import Context, Field, Named, UnknownName, did_you_mean, lookup, text_name
from .grammar import BoolOp, Check, FilterError, Node, Not, Range, Value, parse

Predicate = Callable[[Message, Context], bool]
_CMD_PREFIXES = ("NL80211_CMD_", "CMD_", "CTRL_CMD_", "RTM_", "NLMSG_")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def norm_name(word: str) -> str:
    """A command or name as written ('cmd_frame', 'NL80211_CMD_FRAME', 'frame') -> 'FRAME'."""
    up = word.upper().replace("-", "_")
    for prefix in _CMD_PREFIXES:
        if up.startswith(prefix) and len(up) > len(prefix):
            return up[len(prefix):]
    return up


class Literal:
    """A value as written, read every way a comparison may need it."""

    __slots__ = ("text", "num", "folded", "truth", "mac", "regex", "names")

    def __init__(self, text: str, quoted: bool) -> None:
        self.text = text
        self.num: int | float | None = None if quoted else _number(text)
        self.folded = norm_name(text) if not quoted else text.casefold()
        low = text.lower()
        self.truth = True if low in _TRUE else False if low in _FALSE else None
        self.mac = low.replace("-", ":")
        self.regex: re.Pattern[str] | None = None
        self.names = {text, self.folded, text.casefold()}


def _number(text: str) -> int | float | None:
    try:
        return int(text, 0)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None


# -- comparisons of one occurrence with one literal ---------------------------------
def _numbers(v: Any) -> list[int | float]:
    if isinstance(v, bool):
        return [int(v)]
    if isinstance(v, (int, float)):
        return [v]
    if isinstance(v, Named):
        return [] if v.number is None else [v.number]
    if isinstance(v, Attr):
        val = v.value
        if isinstance(val, list):
            return [x for x in val if isinstance(x, (int, float)) and not isinstance(x, bool)]
        if v.kind == "flag":
            return [1]
        return _numbers(val) if isinstance(val, (int, float)) else []
    return []


def _strings(v: Any) -> list[str]:
    if isinstance(v, str):
        return [v]
    if isinstance(v, Named):
        return [v.name]
    if isinstance(v, Attr):
        out = [v.value] if isinstance(v.value, str) else []
        if v.text:
            out += [v.text, text_name(v.text)]
        if isinstance(v.value, list):
            out += [x for x in v.value if isinstance(x, str)]
        return out
    return []


def _equal(v: Any, lit: Literal) -> bool:
    if isinstance(v, bool):
        return lit.truth is not None and v == lit.truth
    if lit.num is not None and any(n == lit.num for n in _numbers(v)):
        return True
    if isinstance(v, Named):
        return norm_name(v.name) == lit.folded or v.name.casefold() == lit.text.casefold()
    if isinstance(v, Attr):
        if v.kind == "flag":
            return lit.truth is True
        if v.kind == "mac" and isinstance(v.value, str):
            return v.value.lower() == lit.mac
        if isinstance(v.value, str) and v.value == lit.text:
            return True
        wanted = lit.text.casefold()
        return v.text is not None and wanted in (v.text.casefold(), text_name(v.text).casefold())
    if isinstance(v, str):
        return v == lit.text or v.lower() == lit.mac
    return False


def _order(op: str) -> Callable[[float, float], bool]:
    return {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b}[op]


def _contains(v: Any, lit: Literal) -> bool:
    if lit.num is not None and isinstance(v, Attr) and isinstance(v.value, list) and lit.num in v.value:
        return True
    if any(lit.text in s for s in _strings(v)):
        return True
    return isinstance(v, Attr) and lit.text.encode("utf-8", "surrogateescape") in v.raw


def _matches(v: Any, lit: Literal) -> bool:
    assert lit.regex is not None
    return any(lit.regex.search(s) for s in _strings(v))


# -- compiling ---------------------------------------------------------------------------
class _Compiler:
    def __init__(self, expr: str) -> None:
        self.expr = expr
        self.needs_attempts = False
        self.fields: set[str] = set()

    def fail(self, message: str, column: int, width: int) -> FilterError:
        return FilterError(message, column, self.expr, width)

    def node(self, n: Node) -> Predicate:
        if isinstance(n, Not):
            inner = self.node(n.inner)
            return lambda m, c: not inner(m, c)
        if isinstance(n, BoolOp):
            parts = [self.node(p) for p in n.parts]
            if n.op == "and":
                return lambda m, c: all(p(m, c) for p in parts)
            return lambda m, c: any(p(m, c) for p in parts)
        return self.test(n)

    def field(self, t: Check) -> Field:
        try:
            f = lookup(t.field)
        except UnknownName as e:
            raise self.fail(str(e), t.column, len(t.field)) from None
        self.needs_attempts |= f.needs_attempts
        self.fields.add(f.name)
        return f

    def literal(self, f: Field, v: Value, op: str) -> Literal:
        lit = Literal(v.text, v.quoted)
        where = (v.column, v.width)
        if op in ("<", "<=", ">", ">=") and lit.num is None:
            raise self.fail(f"{op} needs a number, found {v.text!r}", *where)
        if f.kind in ("int", "float") and op not in ("contains", "matches") and lit.num is None:
            raise self.fail(f"{f.name} is a number, found {v.text!r}", *where)
        if f.kind == "bool" and lit.truth is None:
            raise self.fail(f"{f.name} is true or false, found {v.text!r}", *where)
        if f.kind == "enum" and op in ("==", "!=", "in", "not in") and lit.num is None \
                and not (lit.names & f.names or lit.folded in {norm_name(n) for n in f.names}):
            hint = did_you_mean(lit.folded if f.name == "cmd" else v.text, f.names)
            raise self.fail(f"{f.name} has no value {v.text!r}{hint}", *where)
        if op == "matches":
            try:
                lit.regex = re.compile(v.text, re.IGNORECASE)
            except re.error as e:
                raise self.fail(f"not a regular expression: {e}", *where) from None
        return lit

    def test(self, t: Check) -> Predicate:
        f = self.field(t)
        get = f.get
        if t.op is None:
            return lambda m, c: any(v is not False for v in get(m, c))
        if t.op in ("in", "not in"):
            return self.membership(t, f)
        (value,) = t.values
        assert isinstance(value, Value)
        lit = self.literal(f, value, t.op)
        if t.op == "==":
            return lambda m, c: any(_equal(v, lit) for v in get(m, c))
        if t.op == "!=":  # present, and no occurrence equal (tshark's "all not equal")
            return lambda m, c: bool(vals := get(m, c)) and not any(_equal(v, lit) for v in vals)
        if t.op == "contains":
            return lambda m, c: any(_contains(v, lit) for v in get(m, c))
        if t.op == "matches":
            return lambda m, c: any(_matches(v, lit) for v in get(m, c))
        cmp, num = _order(t.op), lit.num
        assert num is not None
        return lambda m, c: any(cmp(n, num) for v in get(m, c) for n in _numbers(v))

    def membership(self, t: Check, f: Field) -> Predicate:
        singles: list[Literal] = []
        ranges: list[tuple[float, float]] = []
        for item in t.values:
            if isinstance(item, Range):
                low, high = (self.literal(f, end, "<=") for end in (item.low, item.high))
                assert low.num is not None and high.num is not None
                ranges.append((low.num, high.num))
            else:
                singles.append(self.literal(f, item, "in"))
        get = f.get

        def hit(v: Any) -> bool:
            return any(_equal(v, lit) for lit in singles) or \
                any(lo <= n <= hi for n in _numbers(v) for lo, hi in ranges)
        if t.op == "in":
            return lambda m, c: any(hit(v) for v in get(m, c))
        return lambda m, c: bool(vals := get(m, c)) and not any(hit(v) for v in vals)


class Filter:
    """A compiled filter: call it with a message (and a :class:`Context`) for True or False."""

    def __init__(self, expr: str) -> None:
        self.expr = expr
        comp = _Compiler(expr)
        self._pred = comp.node(parse(expr))
        self.needs_attempts = comp.needs_attempts  # the filter reads attempt or verdict: needs a first pass
        self.fields = frozenset(comp.fields)

    def __call__(self, msg: Message, ctx: Context | None = None) -> bool:
        return self._pred(msg, ctx if ctx is not None else Context())

    def __repr__(self) -> str:
        return f"<Filter {self.expr!r}>"


def compile_filter(expr: str) -> Filter:
    """Parse and check ``expr``; :class:`~.grammar.FilterError` says what is wrong and where."""
    return Filter(expr)

"""The filter language's grammar: text -> tokens -> a small syntax tree.

A hand-written recursive-descent parser: the grammar is eight rules, and a
parser this size gives errors that point at the column (no parsing library
needed).  Names are not checked here; :mod:`.compile` checks them against
the tables.

::

    expr    := or
    or      := and (("or" | "||") and)*
    and     := not (("and" | "&&") not)*
    not     := ("not" | "!") not | primary
    primary := "(" expr ")" | test
    test    := FIELD [OP value | ["not"] "in" set]
    set     := "{" item ([","] item)* "}"
    item    := value [".." value]
    value   := NUMBER | "STRING" | WORD
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class FilterError(ValueError):
    """A filter that cannot be read: what is wrong and the 0-based column where it is."""

    def __init__(self, message: str, column: int, expression: str, width: int = 1) -> None:
        super().__init__(message)
        self.message, self.column, self.expression, self.width = message, column, expression, max(1, width)

    def __str__(self) -> str:
        return f"column {self.column + 1}: {self.message}"

    def pointer(self) -> str:
        """The expression and a caret line under the culprit, for a terminal."""
        return f"  {self.expression}\n  {' ' * self.column}{'^' * self.width}"


# Operators as users of tshark write them; the words are aliases.
COMPARISONS = {"==": "==", "eq": "==", "!=": "!=", "ne": "!=", "<": "<", "lt": "<", "<=": "<=", "le": "<=",
               ">": ">", "gt": ">", ">=": ">=", "ge": ">=", "contains": "contains", "matches": "matches",
               "~": "matches"}
KEYWORDS = {"and", "or", "not", "in", *(k for k in COMPARISONS if k.isalpha())}

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<open>")
  | (?P<op>==|!=|<=|>=|&&|\|\||[<>!~(){},])
  | (?P<word>[A-Za-z0-9_.:/+\-*]+)
""", re.VERBOSE)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "0": "\0"}


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "string", "op", "word", "end"
    text: str
    column: int


def tokens(expr: str) -> list[Token]:
    out: list[Token] = []
    pos = 0
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if m is None:
            raise FilterError(f"unexpected character {expr[pos]!r}", pos, expr)
        kind = m.lastgroup or ""
        if kind == "open":
            raise FilterError("string is not closed (a \" is missing)", pos, expr, len(expr) - pos)
        if kind != "space":
            out.append(Token(kind, m.group(), pos))
        pos = m.end()
    out.append(Token("end", "", len(expr)))
    return out


def unquote(quoted: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), quoted[1:-1])


# -- the syntax tree ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Value:
    text: str  # as written (unquoted for strings)
    quoted: bool
    column: int
    width: int


@dataclass(frozen=True, slots=True)
class Range:
    low: Value
    high: Value


@dataclass(frozen=True, slots=True)
class Check:
    field: str
    column: int
    op: str | None = None  # None: the field is present (and true)
    values: tuple[Value | Range, ...] = ()  # one for a comparison, any number for "in"


@dataclass(frozen=True, slots=True)
class Not:
    inner: Node


@dataclass(frozen=True, slots=True)
class BoolOp:
    op: str  # "and" / "or"
    parts: tuple[Node, ...]


Node = Check | Not | BoolOp


class _Parser:
    def __init__(self, expr: str) -> None:
        self.expr = expr
        self.toks = tokens(expr)
        self.pos = 0

    @property
    def tok(self) -> Token:
        return self.toks[self.pos]

    def _is(self, *texts: str) -> bool:
        t = self.tok
        return t.kind in ("op", "word") and (t.text.lower() if t.kind == "word" else t.text) in texts

    def fail(self, message: str, tok: Token | None = None) -> FilterError:
        t = tok or self.tok
        return FilterError(message, t.column, self.expr, len(t.text))

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise self.fail("the filter is empty")
        node = self.or_()
        if self.tok.kind != "end":
            if self.tok.text == ")":
                raise self.fail("unmatched ')'")
            raise self.fail(f"expected 'and', 'or' or the end of the filter, found {self.tok.text!r}")
        return node

    def or_(self) -> Node:
        parts = [self.and_()]
        while self._is("or", "||"):
            self.pos += 1
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else BoolOp("or", tuple(parts))

    def and_(self) -> Node:
        parts = [self.not_()]
        while self._is("and", "&&"):
            self.pos += 1
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts))

    def not_(self) -> Node:
        if self._is("not", "!"):
            self.pos += 1
            return Not(self.not_())
        return self.primary()

    def primary(self) -> Node:
        t = self.tok
        if t.text == "(" and t.kind == "op":
            self.pos += 1
            node = self.or_()
            if self.tok.text != ")":
                raise self.fail(f"expected ')' to close the '(' at column {t.column + 1}")
            self.pos += 1
            return node
        return self.test()

    def test(self) -> Check:
        t = self.tok
        if t.kind != "word" or t.text.lower() in KEYWORDS:
            what = "the end of the filter" if t.kind == "end" else repr(t.text)
            raise self.fail(f"expected a field name, found {what}")
        self.pos += 1
        op_tok = self.tok
        op = COMPARISONS.get(op_tok.text.lower() if op_tok.kind == "word" else op_tok.text)
        if op is not None:
            self.pos += 1
            return Check(t.text, t.column, op, (self.value(),))
        negated = self._is("not") and self.toks[self.pos + 1].text.lower() == "in"
        if negated or self._is("in"):
            self.pos += 2 if negated else 1
            return Check(t.text, t.column, "not in" if negated else "in", self.set_())
        return Check(t.text, t.column)

    def set_(self) -> tuple[Value | Range, ...]:
        if self.tok.text != "{":
            raise self.fail("expected '{' to start the set after 'in'")
        self.pos += 1
        items: list[Value | Range] = []
        while self.tok.text != "}":
            if self.tok.kind == "end":
                raise self.fail("the set is not closed (a '}' is missing)")
            items.append(self.item())
            if self.tok.text == "," and self.tok.kind == "op":
                self.pos += 1
        if not items:
            raise self.fail("the set is empty")
        self.pos += 1
        return tuple(items)

    def item(self) -> Value | Range:
        v = self.value()
        if not v.quoted and ".." in v.text:  # 1..5 lexes as one word
            low, _, high = v.text.partition("..")
            if not low or not high:
                raise FilterError("a range needs both ends, e.g. 1..5", v.column, self.expr, v.width)
            return Range(Value(low, False, v.column, len(low)),
                         Value(high, False, v.column + len(low) + 2, len(high)))
        return v

    def value(self) -> Value:
        t = self.tok
        if t.kind == "string":
            self.pos += 1
            return Value(unquote(t.text), True, t.column, len(t.text))
        if t.kind == "word" and t.text.lower() not in ("and", "or", "in"):
            self.pos += 1
            return Value(t.text, False, t.column, len(t.text))
        what = "the end of the filter" if t.kind == "end" else repr(t.text)
        raise self.fail(f"expected a value, found {what}")


def parse(expr: str) -> Node:
    """The syntax tree of ``expr``; :class:`FilterError` says where it goes wrong."""
    return _Parser(expr).parse()


__all__ = ["FilterError", "Node", "Check", "Not", "BoolOp", "Value", "Range", "parse", "tokens"]

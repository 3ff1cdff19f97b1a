"""The fixed-size prefix of a Construct ``Struct``, as one ``struct.Struct``.

The schemas (``*/schemas.py``) are the one truth of every wire layout; the bulk
path unpacks with ``struct`` for speed.  This derives the second from the
first, once at import, so they cannot drift: a field changed in a schema
changes the decoder.  A fast path that unpacks by position names the fields it
expects (:meth:`Layout.unpacks_as`), so a reordered schema fails at import
instead of silently decoding one field as another.

Understood: ``FormatField`` integers (``Int8ub`` .. ``Int64sl``), ``Bytes(n)``
with a constant ``n``, ``Padding(n)``, ``Const`` around either, and nested
Structs (flattened, names joined by dots).  The walk stops at the first field
it cannot express (``GreedyBytes``, ``Prefixed``, ``Bytes(this.x)``, ...);
constants are not checked by the struct.
"""

from __future__ import annotations

import struct
import sys
from dataclasses import dataclass
from typing import Any

from construct import Bytes, Const, Construct, FormatField, Padded, Pass, Renamed, Struct

# the class attributes below are called ``struct``: inside their classes that name is not the module
PackedStruct = struct.Struct

_NATIVE = "<" if sys.byteorder == "little" else ">"


class LayoutError(ValueError):
    """A schema the derivation cannot express, or not the shape a fast path unpacks."""


@dataclass(frozen=True, slots=True)
class Field:
    """One named field of a layout: where it starts, and a struct for it alone."""

    name: str
    offset: int
    struct: PackedStruct


@dataclass(frozen=True, slots=True)
class Layout:
    """A schema's fixed prefix: the struct, the name of each value it unpacks, and where the walk stopped."""

    struct: PackedStruct
    fields: tuple[Field, ...]
    names: tuple[str, ...]  # of the values the struct unpacks, in order
    stopped_at: str | None  # the first field left out (variable size), None when the whole schema fits

    @property
    def size(self) -> int:
        return self.struct.size

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise LayoutError(f"no field {name!r} in the layout {self.names}")

    def unpacks_as(self, *names: str) -> PackedStruct:
        """The struct, once the schema is shown to unpack exactly ``names`` in that order."""
        if names != self.names:
            raise LayoutError(f"the schema unpacks {self.names}, the fast path expects {names}")
        return self.struct

    def parse(self, data: bytes, offset: int = 0) -> dict[str, Any]:
        """Field name -> value (for cold paths; hot ones unpack the struct)."""
        return dict(zip(self.names, self.struct.unpack_from(data, offset), strict=True))


@dataclass(frozen=True, slots=True)
class _Piece:
    name: str | None  # None: padding, or a value Construct would not keep either
    code: str  # struct format code, without the byte order
    size: int
    order: str | None  # the schema's byte order of a multi-byte integer


def fixed_layout(schema: Struct, order: str | None = None, *, until: str | None = None) -> Layout:
    """Derive the struct of ``schema``'s fixed prefix.

    ``order`` ('<' or '>') re-bases every multi-byte field to that byte order
    (netlink is host order; its schemas are written little-endian); without it
    the schema's own order is used and mixing orders is an error.  ``until``
    names the field to stop before, and makes it an error to stop earlier.
    """
    if order not in (None, "<", ">"):
        raise LayoutError(f"byte order {order!r} is neither '<' nor '>'")
    pieces: list[_Piece] = []
    stopped = _walk(schema, "", pieces, until)
    if until is not None and stopped != until:
        reached = f"stopped at {stopped!r}" if stopped else "reached the end"
        raise LayoutError(f"the fixed prefix {reached} before {until!r}")
    orders = {p.order for p in pieces if p.order}
    if order is None:
        if len(orders) > 1:
            by_order = {o: [p.name for p in pieces if p.order == o] for o in sorted(orders)}
            raise LayoutError(f"mixed byte orders {by_order}; pass order= to re-base")
        order = orders.pop() if orders else "<"
    fields, offset = [], 0
    for p in pieces:
        if p.name is not None:
            fields.append(Field(p.name, offset, struct.Struct(order + p.code)))
        offset += p.size
    return Layout(struct.Struct(order + "".join(p.code for p in pieces)), tuple(fields),
                  tuple(f.name for f in fields), stopped)


def _walk(schema: Struct, prefix: str | None, pieces: list[_Piece], until: str | None) -> str | None:
    """Append the pieces of ``schema``; return the dotted name of the field it stopped at (None: all fixed).

    ``prefix`` None: Construct keeps none of these values (an unnamed nested Struct), so neither do we.
    """
    if not isinstance(schema, Struct):
        raise LayoutError(f"{type(schema).__name__} is not a Struct")
    for sub in schema.subcons:
        name = sub.name
        dotted = prefix + name if name and prefix is not None else None
        if until is not None and name == until:
            return name
        con = sub.subcon if isinstance(sub, Renamed) else sub
        if isinstance(con, Struct):
            inner = _walk(con, None if dotted is None else dotted + ".", pieces, None)
            if inner is not None:
                return inner
            continue
        piece = _piece(con, dotted)
        if piece is None:
            return dotted or f"{prefix or ''}<unnamed {type(con).__name__}>"
        pieces.append(piece)
    return None


def _piece(con: Construct, name: str | None) -> _Piece | None:
    """The struct code of one fixed field, or None when struct cannot express it."""
    if isinstance(con, Const):
        con = con.subcon
    if isinstance(con, FormatField):
        fmt = con.fmtstr
        size = struct.calcsize(fmt)
        code = fmt[1:] if name else f"{size}x"
        order = (_NATIVE if fmt[0] == "=" else fmt[0]) if size > 1 else None
        return _Piece(name, code, size, order)
    if isinstance(con, Bytes) and isinstance(con.length, int):
        return _Piece(name, f"{con.length}s" if name else f"{con.length}x", con.length, None)
    if isinstance(con, Padded) and con.subcon is Pass and isinstance(con.length, int):
        return _Piece(None, f"{con.length}x", con.length, None)
    return None

"""Fast netlink framing: messages in a buffer and the attributes in a payload.

Plain ``struct`` for speed ("one truth, two speeds", docs/architecture.md):
the structs are derived from the Construct schemas in :mod:`.schemas`, in both
byte orders (netlink is host order; a big-endian router's capture exists).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..wire.layout import fixed_layout
from .schemas import NlAttrHdr, NlMsgHdr

# by byte order; the walks below unpack these fields by position
NLMSG_HEADERS = {o: fixed_layout(NlMsgHdr, o).unpacks_as("length", "type", "flags", "seq", "pid") for o in "<>"}
NLA_HEADERS = {o: fixed_layout(NlAttrHdr, o).unpacks_as("length", "type") for o in "<>"}
_NLMSG_LE, _NLMSG_BE = NLMSG_HEADERS["<"], NLMSG_HEADERS[">"]
_NLMSG_SIZE = _NLMSG_LE.size
_NLA_SIZE = NLA_HEADERS["<"].size

NLA_F_NESTED = 0x8000
NLA_F_NET_BYTEORDER = 0x4000
NLA_TYPE_MASK = 0x3FFF

NLM_F_REQUEST = 0x01
NLM_F_MULTI = 0x02
NLM_F_ACK = 0x04
NLM_F_ECHO = 0x08
NLM_F_DUMP_INTR = 0x10
NLM_F_DUMP_FILTERED = 0x20
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200

NLMSG_NOOP = 1
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLMSG_OVERRUN = 4

# Names of the flag bits as users read them; GET requests reuse 0x100..0x400
# for ROOT/MATCH/ATOMIC, NEW requests for REPLACE/EXCL/CREATE, replies to
# errors for CAPPED/ACK_TLVS, so the meaning of those bits depends on context.
_COMMON_FLAGS = ((NLM_F_REQUEST, "request"), (NLM_F_MULTI, "multi"), (NLM_F_ACK, "ack"),
                 (NLM_F_ECHO, "echo"), (NLM_F_DUMP_INTR, "dump-intr"), (NLM_F_DUMP_FILTERED, "dump-filtered"))
_GET_FLAGS = ((0x100, "root"), (0x200, "match"), (0x400, "atomic"))
_NEW_FLAGS = ((0x100, "replace"), (0x200, "excl"), (0x400, "create"), (0x800, "append"))
_ERR_FLAGS = ((NLM_F_CAPPED, "capped"), (NLM_F_ACK_TLVS, "ack-tlvs"))


def flag_names(flags: int, *, kind: str = "") -> list[str]:
    """Name the set nlmsg flag bits; ``kind`` is 'get', 'new' or 'error'."""
    table = _COMMON_FLAGS + {"get": _GET_FLAGS, "new": _NEW_FLAGS, "error": _ERR_FLAGS}.get(kind, ())
    names = [n for bit, n in table if flags & bit]
    if kind == "get" and flags & 0x300 == 0x300:
        names = [n for n in names if n not in ("root", "match")] + ["dump"]
    known = 0
    for bit, _ in table:
        known |= bit
    if flags & ~known:
        names.append(f"{flags & ~known:#x}")
    return names


def host_order(buf: bytes, start: int = 0) -> str:
    """Guess the byte order of the netlink messages in ``buf``.

    Netlink is host-order; a capture from a big-endian router reads as an
    absurd length little-endian.  The length that fits the buffer wins.
    """
    left = len(buf) - start
    if left < _NLMSG_SIZE:
        return "<"
    if _NLMSG_SIZE <= _NLMSG_LE.unpack_from(buf, start)[0] <= left:
        return "<"
    if _NLMSG_SIZE <= _NLMSG_BE.unpack_from(buf, start)[0] <= left:
        return ">"
    return "<"


def split_messages(buf: bytes, start: int = 0, order: str = "<"
                   ) -> Iterator[tuple[int, int, int, int, int, int, str | None]]:
    """Yield (offset, length, type, flags, seq, pid, problem) per nlmsg in ``buf``.

    ``problem`` is None for a sound message; a damaged one is yielded once with
    the reason and ends the walk (the rest of the buffer cannot be framed).
    """
    hdr = _NLMSG_LE if order == "<" else _NLMSG_BE
    size = _NLMSG_SIZE
    end = len(buf)
    pos = start
    while pos < end:
        if end - pos < size:
            if buf[pos:end].count(0) == end - pos:  # alignment padding
                return
            yield pos, end - pos, 0, 0, 0, 0, f"{end - pos} trailing bytes, shorter than a netlink header"
            return
        length, mtype, flags, seq, pid = hdr.unpack_from(buf, pos)
        if length < size:
            yield pos, end - pos, mtype, flags, seq, pid, f"nlmsg_len {length} is shorter than the header"
            return
        if pos + length > end:
            yield pos, end - pos, mtype, flags, seq, pid, (
                f"nlmsg_len {length} runs past the end of the record ({end - pos} bytes left)")
            return
        yield pos, length, mtype, flags, seq, pid, None
        pos += (length + 3) & ~3


def iter_attrs(buf: bytes, start: int, end: int, order: str = "<"
               ) -> Iterator[tuple[int, int, int, int, str | None]]:
    """Yield (type, flags, value_start, value_end, problem) for each nlattr.

    ``flags`` holds the NLA_F_NESTED / NLA_F_NET_BYTEORDER bits. A damaged
    attribute is yielded with its reason and ends the walk.
    """
    hdr = NLA_HEADERS[order]
    size = _NLA_SIZE
    pos = start
    while pos < end:
        if end - pos < size:
            yield 0, 0, pos, end, f"{end - pos} trailing bytes, shorter than an attribute header"
            return
        alen, atype = hdr.unpack_from(buf, pos)
        if alen < size:
            yield atype & NLA_TYPE_MASK, atype & 0xC000, pos, end, f"attribute length {alen} is below {size}"
            return
        if pos + alen > end:
            yield atype & NLA_TYPE_MASK, atype & 0xC000, pos + size, end, (
                f"attribute length {alen} runs past the end ({end - pos} bytes left)")
            return
        yield atype & NLA_TYPE_MASK, atype & 0xC000, pos + size, pos + alen, None
        pos += (alen + 3) & ~3

"""A bounded memo of decoded payloads: identical bytes are decoded (and rendered) once.

Why: a long capture repeats itself.  Every wiphy dump, station poll, scan
trigger and interface query is sent again and again with the same payload
(23-53% of the attributes in the lab captures, more in hours-long ones), and
decoding a NEW_WIPHY reply costs hundreds of attribute objects.  A message
whose payload was seen recently gets the same attribute tree; renderers keep
their output for that tree themselves, keyed by the entry
(:mod:`nl80211dec.render.shared`), so nothing downstream writes into it.

A payload is kept the second time it is seen, and only when its decode
depends on nothing but its bytes: a
message carrying an 802.11 frame or SAE data is decoded every time, because
SAE context (group, token, H2E) flows from one frame to the next.  Shared
trees are read-only by convention; the memo is bounded in entries and bytes
so memory stays flat.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from ..netlink.message import Attr, Message

MEMO_ENTRIES = 2048  # distinct payloads kept at most
MEMO_BYTES = 1 << 20  # payload bytes kept at most (the trees cost ~10-20x this)
MEMO_MAX_PAYLOAD = 16384  # larger payloads are always decoded afresh


class MemoEntry:
    """One decoded payload: the attribute tree and what renderers made of it."""

    __slots__ = ("cmd", "cmd_name", "attrs", "payloads", "attr_problems", "header_extra", "problem", "__weakref__")

    def __init__(self, msg: Message) -> None:
        self.cmd, self.cmd_name = msg.cmd, msg.cmd_name
        self.attrs = msg.attrs
        self.payloads = msg.payloads
        self.attr_problems = msg.attr_problems
        self.header_extra = msg.header_extra
        self.problem = msg.problem

    def apply(self, msg: Message) -> None:
        """Give ``msg`` the decode this entry holds."""
        msg.cmd, msg.cmd_name, msg.attrs, msg.payloads, msg.attr_problems = (
            self.cmd, self.cmd_name, self.attrs, self.payloads, self.attr_problems)
        msg.header_extra, msg.problem, msg.shared = self.header_extra, self.problem, self


class DecodeMemo:
    """Least-recently-used map from (what decodes it, payload) to :class:`MemoEntry`.

    The first half of the key names everything besides the payload bytes
    that the decode reads (family, byte order, header fields).
    """

    def __init__(self, entries: int = MEMO_ENTRIES, max_bytes: int = MEMO_BYTES) -> None:
        self.entries = entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._map: OrderedDict[tuple[Any, bytes], MemoEntry] = OrderedDict()
        self._once: set[int] = set()  # hashes of keys seen once and not kept (yet)

    def __len__(self) -> int:
        return len(self._map)

    def get(self, key: tuple[Any, bytes]) -> MemoEntry | None:
        entry = self._map.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        self._map.move_to_end(key)
        return entry

    def admit(self, key: tuple[Any, bytes]) -> bool:
        """Keep a payload only the second time it is seen.

        A capture where nothing repeats (scan results, station counters) would
        otherwise fill the memo with trees never used again and pay for it;
        remembering a hash is cheap.
        """
        if self.entries <= 0:
            return False
        h = hash(key)
        if h in self._once:
            self._once.discard(h)
            return True
        if len(self._once) >= 8 * self.entries:
            self._once.clear()
        self._once.add(h)
        return False

    def put(self, key: tuple[Any, bytes], entry: MemoEntry) -> None:
        size = len(key[1])
        if self.entries <= 0 or size > MEMO_MAX_PAYLOAD or key in self._map:
            return
        self._map[key] = entry
        self.bytes += size
        while len(self._map) > self.entries or self.bytes > self.max_bytes:
            old, _ = self._map.popitem(last=False)
            self.bytes -= len(old[1])

    @staticmethod
    def cacheable(payloads: list[Attr] | None) -> bool:
        """True when the 802.11 layer needs no context for this message (elements only)."""
        return payloads is None or all(p.kind == "ies" for p in payloads)

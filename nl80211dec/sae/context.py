"""What an SAE exchange remembers between frames.

A confirm's length depends on the group and on hash-to-element, both said in
the commits before it; a commit's anti-clogging token was handed out by the
AP's status-76 reply. The tracker keys this by the pair of stations, so a
commit seen in AUTH_DATA and the AP's answer in a FRAME event share it.
"""

from __future__ import annotations

from collections import OrderedDict

MAX_EXCHANGES = 1024  # bounded: a long capture's old exchanges are forgotten


class SaeContext:
    __slots__ = ("group", "h2e", "token")

    def __init__(self) -> None:
        self.group: int | None = None
        self.h2e = False
        self.token: bytes | None = None


class SaeTracker:
    """SaeContext per unordered pair of addresses (or interface + peer)."""

    def __init__(self) -> None:
        self._ctx: OrderedDict[frozenset, SaeContext] = OrderedDict()

    def get(self, a: str, b: str) -> SaeContext:
        key = frozenset((a, b))
        ctx = self._ctx.get(key)
        if ctx is None:
            ctx = self._ctx[key] = SaeContext()
            if len(self._ctx) > MAX_EXCHANGES:
                self._ctx.popitem(last=False)
        else:
            self._ctx.move_to_end(key)
        return ctx

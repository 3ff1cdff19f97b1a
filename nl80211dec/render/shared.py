"""Renderers' own memory of what they made of a shared attribute tree.

The decode memo gives identical payloads one attribute tree; rendering that
tree once is the point.  The output is kept here, keyed weakly by the memo's
entry, so renderers only read decoded objects and an entry the memo drops
takes its renderings with it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class SharedRenderings:
    """One renderer's outputs per shared tree (``msg.shared``) and option key."""

    def __init__(self) -> None:
        self._by_entry: weakref.WeakKeyDictionary[Any, dict[Any, Any]] = weakref.WeakKeyDictionary()

    def get(self, entry: Any, key: Any, make: Callable[[], T]) -> T:
        if entry is None:
            return make()
        kept = self._by_entry.get(entry)
        if kept is None:
            kept = self._by_entry[entry] = {}
        if key not in kept:
            kept[key] = make()
        return kept[key]

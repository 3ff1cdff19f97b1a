"""The pure-Python modules are the reference: ``NL80211DEC_PURE=1`` imports them even from a compiled install.

A build with ``NL80211DEC_MYPYC=1`` (setup.py) puts a compiled extension beside
each hot module's ``.py`` file, and Python's import system prefers the
extension.  This finder, placed first when asked, loads the ``.py`` source of
any ``nl80211dec.*`` module that has one, so a suspected compiler difference
can be checked against the reference on the same install.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Mapping, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType


class PureFinder:
    """Find ``nl80211dec.*`` modules as their ``.py`` source, never as a compiled extension."""

    @classmethod
    def find_spec(cls, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if not fullname.startswith("nl80211dec.") or not path:
            return None
        leaf = fullname.rpartition(".")[2]
        for entry in path:
            source = os.path.join(entry, leaf + ".py")
            if os.path.isfile(source):
                return importlib.util.spec_from_file_location(fullname, source)
        return None  # a package (its __init__.py is never compiled) or not ours: the usual machinery


def install_if_asked(environ: Mapping[str, str]) -> bool:
    """Put :class:`PureFinder` first on ``sys.meta_path`` when ``NL80211DEC_PURE=1``; say whether it is there."""
    if environ.get("NL80211DEC_PURE") == "1" and PureFinder not in sys.meta_path:
        sys.meta_path.insert(0, PureFinder)
    return PureFinder in sys.meta_path


def compiled() -> bool:
    """Whether the hot path in use is the compiled one (the netlink walker is loaded from an extension)."""
    from .netlink import core

    return not (core.__file__ or "").endswith(".py")

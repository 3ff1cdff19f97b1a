"""nl80211dec: decode Linux nl80211 captures and explain WPA3-SAE failures.

``nl80211dec.open(path)`` returns a :class:`Capture`; iterate it for messages,
call ``.attempts()`` for connection attempts with verdicts.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ._pure import install_if_asked

install_if_asked(os.environ)  # NL80211DEC_PURE=1: the pure-Python modules even where compiled ones are installed

from .errors import DecodeError, NotACaptureError, TruncatedError  # noqa: E402 - after the finder
from .live import live  # noqa: E402
from .version import __version__  # noqa: E402

__all__ = ["Capture", "DecodeError", "NotACaptureError", "TruncatedError", "from_scapy", "live", "open",
           "__version__"]

if TYPE_CHECKING:
    from .api import Capture, from_scapy, open


def __getattr__(name: str) -> Any:
    # The decoder loads on first use, so `python -m nl80211dec --version` starts fast.
    if name in ("Capture", "open", "from_scapy"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'nl80211dec' has no attribute {name!r}")

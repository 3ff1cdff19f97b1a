"""nl80211dec: decode Linux nl80211 captures and explain WPA3-SAE failures.

``nl80211dec.open(path)`` returns a :class:`Capture`; iterate it for messages,
call ``.attempts()`` for connection attempts with verdicts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import DecodeError, NotACaptureError, TruncatedError
from .live import live
from .version import __version__

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

"""Live capture on the device: an nlmon interface, a packet socket, the same decoding as a file.

``nl80211dec live`` on the command line (:mod:`.cli`); :func:`live` from
Python. Needs Linux, CAP_NET_ADMIN and CAP_NET_RAW, the nlmon module and
pyroute2 (``pip install 'nl80211dec[live]'``); docs/live.md says how.
This module stays light (nothing is imported until a run starts), so
``nl80211dec`` can export :func:`live` without slowing its own import.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .run import Backend, Live

__all__ = ["live"]


def live(*, nlmon: str = "nlmon0", write: str | os.PathLike[str] | None = None, ring_mb: float | None = None,
         snapshot: bool = False, duration: float | None = None, attempts: bool = True, memo: bool = True,
         signals: bool = True, backend: Backend | None = None) -> Live:
    """Capture nl80211 traffic on this machine; iterate the result for messages and attempts as they happen.

    ``write`` keeps the capture as pcapng (``ring_mb``: only the newest N MB,
    and the files around failures); ``snapshot`` dumps the wireless state at
    start into the capture (and ``<write>.snapshot.json``); ``duration``
    stops after that many seconds. The nlmon interface ``nlmon`` is created
    and removed again (one that already exists is used and left alone).
    Ctrl-C, SIGTERM and SIGHUP end the run cleanly (``signals=False`` leaves
    the handlers alone); ``.stop()`` ends it from elsewhere. After the
    iteration, ``.summary``, ``.families``, ``.files`` and ``.dropped`` say
    what was captured. Raises :class:`~nl80211dec.live.errors.Unavailable`
    (with the fix in its message) when the system cannot capture.

    >>> from nl80211dec.sequence import Attempt
    >>> for item in nl80211dec.live(write="wifi.pcapng"):      # doctest: +SKIP
    ...     if isinstance(item, Attempt):
    ...         print(item.verdict, "-", item.explanation)
    """
    from .run import Live

    return Live(nlmon=nlmon, write=write, ring_mb=ring_mb, snapshot=snapshot, duration=duration,
                attempts=attempts, memo=memo, signals=signals, backend=backend)

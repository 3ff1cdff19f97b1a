"""Stopping a live run cleanly: Ctrl-C, SIGTERM and SIGHUP end the capture instead of killing it.

The first signal only sets a flag; the loop sees it within one poll, the
open attempts get their verdicts, the file is closed and the nlmon
interface removed. A second Ctrl-C raises KeyboardInterrupt at once (the
cleanup still runs, with the signals held off while it removes the
interface). Handlers are installed only in the main thread, and the old ones
come back afterwards.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stop:
    """A stop request: set by a signal, by :meth:`set` from any thread, or by the run's own end."""

    def __init__(self) -> None:
        self.reason: str | None = None

    def set(self, reason: str = "stopped") -> None:
        self.reason = self.reason or reason

    def __bool__(self) -> bool:
        return self.reason is not None


@contextmanager
def on_signals(stop: Stop) -> Iterator[None]:
    """Inside the block the signals set ``stop``; a second SIGINT raises KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set(signal.Signals(signum).name)

    old = {}
    for sig in SIGNALS:
        if signal.getsignal(sig) is signal.SIG_IGN:
            continue  # nohup'd: the user asked for this one to be ignored
        old[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, h in old.items():
            signal.signal(sig, h)


@contextmanager
def held() -> Iterator[None]:
    """Signals wait until the block is done (removing the interface must not be cut short)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)

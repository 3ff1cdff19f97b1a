"""A growing file read like ``tail -f``: at its end, wait for more instead of stopping.

:class:`Follow` is a raw stream over the file: a read at the end polls until
the writer adds bytes or :meth:`stop` is called (Ctrl-C), then the reader
sees a normal end of file and the decode finishes with its summary.
"""

from __future__ import annotations

import io
import time
from typing import BinaryIO

POLL_S = 0.2


class Follow(io.RawIOBase):
    def __init__(self, f: BinaryIO, poll: float = POLL_S) -> None:
        self._f = f
        self.poll = poll
        self.stopped = False
        self.name = getattr(f, "name", "<file>")

    def readable(self) -> bool:
        return True

    def stop(self) -> None:
        """End the stream at the next poll: what was written so far is decoded, then the summary."""
        self.stopped = True

    def readinto(self, buf: bytearray | memoryview) -> int:  # type: ignore[override]
        while True:
            n = self._f.readinto(buf)  # type: ignore[attr-defined]
            if n or self.stopped:
                return n or 0
            time.sleep(self.poll)

    def close(self) -> None:
        self._f.close()
        super().close()

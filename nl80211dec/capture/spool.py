"""A pipe made re-readable without holding it in memory.

Standard input can be read once; a capture is read once per pass (the air
join, the attempts).  :class:`PipeSpool` copies what it reads from the pipe
into a temporary file as it goes, so the first pass streams from the pipe
and later passes read the file: memory stays flat however much is piped.
"""

from __future__ import annotations

import io
import tempfile
from typing import BinaryIO


class PipeSpool(io.RawIOBase):
    """A seekable view of a pipe: bytes already read come from the spool file, the rest from the pipe."""

    def __init__(self, pipe: BinaryIO) -> None:
        self._pipe = pipe
        self._spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self._size = 0  # bytes spooled so far
        self._pos = 0
        self._eof = False
        self.name = getattr(pipe, "name", "<pipe>")

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            offset += self._pos
        elif whence == io.SEEK_END:
            while not self._eof:
                self._fill(1 << 20)
            offset += self._size
        self._pos = max(0, offset)
        return self._pos

    def _fill(self, n: int) -> None:
        read1 = getattr(self._pipe, "read1", None)  # what the pipe has now: decoding keeps up with a live writer
        chunk = read1(n) if read1 is not None else self._pipe.read(n)
        if not chunk:
            self._eof = True
            return
        self._spool.seek(self._size)
        self._spool.write(chunk)
        self._size += len(chunk)

    def readinto(self, buf: bytearray | memoryview) -> int:  # type: ignore[override]
        want = len(buf)
        if self._pos >= self._size and not self._eof:
            self._fill(max(want, 1 << 16))
        if self._pos >= self._size:
            return 0
        self._spool.seek(self._pos)
        n = self._spool.readinto(memoryview(buf)[:min(want, self._size - self._pos)])
        self._pos += n
        return n

    def close(self) -> None:
        self._spool.close()
        super().close()

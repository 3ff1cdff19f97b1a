"""The library's one exception hierarchy.

Every layer raises :class:`DecodeError` (or a subclass) for bad input and
nothing else, so callers can catch one type and the fuzz tests can check that
nothing else escapes.
"""

from __future__ import annotations


class DecodeError(Exception):
    """Bytes that do not decode; carries the layer and offset of the damage."""

    def __init__(self, message: str, *, layer: str = "", offset: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.layer = layer
        self.offset = offset

    def __str__(self) -> str:
        where = f" at offset {self.offset}" if self.offset is not None else ""
        layer = f"{self.layer}: " if self.layer else ""
        return f"{layer}{self.message}{where}"


class NotACaptureError(DecodeError):
    """The input is not a pcap, pcapng or gzip-compressed capture at all."""


class TruncatedError(DecodeError):
    """The input ends in the middle of a structure."""

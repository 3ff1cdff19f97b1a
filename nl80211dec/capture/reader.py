"""Streaming readers for pcap and pcapng (optionally gzip-compressed).

Records are read one at a time from the file object, so memory does not grow
with the capture.  Damage ends the stream with a :class:`DecodeError` kept in
``reader.damage``; everything before it has been yielded.
"""

from __future__ import annotations

import gzip
import io
import os
import struct
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ..errors import DecodeError, NotACaptureError, TruncatedError
from . import blocks as S

# No real capture record is larger than this; a larger length is corruption,
# and must not become a huge allocation.
MAX_RECORD = 1 << 20

_MAGICS = {
    b"\xd4\xc3\xb2\xa1": ("<", 1e-6),
    b"\xa1\xb2\xc3\xd4": (">", 1e-6),
    b"\x4d\x3c\xb2\xa1": ("<", 1e-9),
    b"\xa1\xb2\x3c\x4d": (">", 1e-9),
}
_PCAPNG_SHB = b"\x0a\x0d\x0d\x0a"


@dataclass(slots=True)
class Record:
    """One captured packet: its number (1-based, as tshark counts), time and bytes.

    ``line`` is the source line of a record rebuilt from a text log (None for a capture file).
    """

    number: int
    timestamp: float
    linktype: int
    data: bytes
    orig_len: int
    offset: int
    line: int | None = None


Source = "str | os.PathLike[str] | bytes | bytearray | BinaryIO"


def _open_binary(source) -> tuple[BinaryIO, bool]:
    """Return a readable binary stream and whether it was gzip-compressed."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        f: BinaryIO = io.BytesIO(bytes(source))
    elif isinstance(source, (str, os.PathLike)):
        f = open(source, "rb")  # noqa: SIM115 - closed by the reader
    else:
        f = source
    start = f.tell() if f.seekable() else 0
    head = f.read(2)
    if head == b"\x1f\x8b":
        if f.seekable():
            f.seek(start)
        else:
            f = io.BufferedReader(_Prepend(head, f))  # type: ignore[arg-type]
        return gzip.GzipFile(fileobj=f, mode="rb"), True  # type: ignore[return-value]
    if f.seekable():
        f.seek(start)
        return f, False
    return io.BufferedReader(_Prepend(head, f)), False  # type: ignore[arg-type]


class _Prepend(io.RawIOBase):
    """A stream that yields some already-read bytes, then the rest of a stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(b))
        b[: len(data)] = data
        return len(data)


class CaptureReader:
    """Iterate the records of a pcap/pcapng file, counting what is skipped.

    ``damage`` holds the error that ended the stream early (truncation or a
    corrupt length), ``skipped`` counts blocks that carry no packet or could
    not be used, by reason.
    """

    def __init__(self, source) -> None:
        self._f, self.compressed = _open_binary(source)
        self._owns = isinstance(source, (str, os.PathLike))
        self.skipped: Counter[str] = Counter()
        self.damage: DecodeError | None = None
        self.records = 0
        try:
            magic = self._read_exact(4, 0, "file header")
        except (OSError, EOFError, gzip.BadGzipFile) as e:
            raise NotACaptureError(f"not a capture file ({e})", layer="capture", offset=0) from None
        except TruncatedError:
            raise NotACaptureError("not a capture file: shorter than any capture header",
                                   layer="capture", offset=0) from None
        if magic in _MAGICS:
            self.format = "pcap"
            self._endian, self._tsunit = _MAGICS[magic]
            rest = self._read_header(20)
            _maj, _min, _zone, _sig, snaplen, linktype = struct.unpack(self._endian + "HHIIII", rest)
            self.snaplen = snaplen
            self.linktypes = [linktype & 0xFFFF]
        elif magic == _PCAPNG_SHB:
            self.format = "pcapng"
            self.linktypes = []
            self.snaplen = 0
        else:
            raise NotACaptureError(
                f"not a capture file: magic {magic.hex()} is neither pcap nor pcapng",
                layer="capture", offset=0)

    # -- low-level reads -------------------------------------------------
    _pos = 0

    def _read_exact(self, n: int, offset: int, what: str) -> bytes:
        data = self._read_upto(n, offset)
        if len(data) != n:
            raise TruncatedError(f"file ends inside {what} ({len(data)} of {n} bytes)",
                                 layer="capture", offset=offset)
        self._pos = offset + n
        return data

    def _read_upto(self, n: int, offset: int) -> bytes:
        """Up to ``n`` bytes (fewer only at the end); a corrupt compressed stream is damage."""
        try:
            return self._f.read(n)
        except (EOFError, gzip.BadGzipFile, OSError) as e:
            raise TruncatedError(f"compressed stream ends early or is corrupt ({e})",
                                 layer="capture", offset=offset) from None

    def _read_header(self, n: int) -> bytes:
        try:
            return self._read_exact(n, 4, "file header")
        except TruncatedError as e:
            raise NotACaptureError(f"not a capture file: {e.message}", layer="capture", offset=4) from None

    @property
    def position(self) -> int:
        """Bytes of the (decompressed) capture consumed so far: for progress indicators."""
        return self._pos

    def close(self) -> None:
        if self._owns or self.compressed:
            self._f.close()

    def __iter__(self) -> Iterator[Record]:
        try:
            if self.format == "pcap":
                yield from self._pcap_records()
            else:
                yield from self._pcapng_records()
        except DecodeError as e:
            self.damage = e
        finally:
            self.close()

    # -- classic pcap ----------------------------------------------------
    def _pcap_records(self) -> Iterator[Record]:
        hdr = struct.Struct(self._endian + "IIII")
        unit = self._tsunit
        offset = 24
        limit = max(self.snaplen, 262144) if self.snaplen else MAX_RECORD
        limit = min(limit, MAX_RECORD)
        number = 0
        linktype = self.linktypes[0]
        while True:
            head = self._read_upto(16, offset)
            if not head:
                return
            if len(head) < 16:
                raise TruncatedError(f"file ends inside a record header ({len(head)} of 16 bytes)",
                                     layer="capture", offset=offset)
            sec, frac, incl, orig = hdr.unpack(head)
            if incl > limit:
                raise DecodeError(f"record length {incl} exceeds the snapshot length {limit}; "
                                  "the file is corrupt from here", layer="capture", offset=offset)
            data = self._read_exact(incl, offset + 16, f"record {number + 1}")
            number += 1
            self.records = number
            yield Record(number, sec + frac * unit, linktype, data, orig, offset)
            offset += 16 + incl
            self._pos = offset

    # -- pcapng ------------------------------------------------------------
    def _pcapng_records(self) -> Iterator[Record]:
        offset = 0
        endian = "<"
        ifaces: list[tuple[int, float, int]] = []  # linktype, ts unit, snaplen
        number = 0
        first = True
        while True:
            if first:
                btype_raw = _PCAPNG_SHB
                first = False
            else:
                btype_raw = self._read_upto(4, offset)
                if not btype_raw:
                    return
                if len(btype_raw) < 4:
                    raise TruncatedError("file ends inside a block header", layer="capture", offset=offset)
            if btype_raw == _PCAPNG_SHB:
                blen_raw = self._read_exact(4, offset + 4, "section header")
                bom = self._read_exact(4, offset + 8, "section header")
                if bom == b"\x4d\x3c\x2b\x1a":
                    endian = "<"
                elif bom == b"\x1a\x2b\x3c\x4d":
                    endian = ">"
                else:
                    raise DecodeError("section header has no valid byte-order magic", layer="capture",
                                      offset=offset + 8)
                blen = struct.unpack(endian + "I", blen_raw)[0]
                if blen < 28 or blen % 4 or blen > MAX_RECORD:
                    raise DecodeError(f"section header length {blen} is invalid", layer="capture",
                                      offset=offset)
                self._read_exact(blen - 12, offset + 12, "section header")
                ifaces = []
                offset += blen
                continue
            btype = struct.unpack(endian + "I", btype_raw)[0]
            blen = struct.unpack(endian + "I", self._read_exact(4, offset + 4, "block header"))[0]
            if blen < 12 or blen % 4 or blen > MAX_RECORD:
                raise DecodeError(f"block length {blen} is invalid; the file is corrupt from here",
                                  layer="capture", offset=offset)
            body = self._read_exact(blen - 8, offset + 8, f"block of type {btype:#x}")
            body = body[:-4]
            if btype == S.PCAPNG_IDB:
                if len(body) < 8:
                    self.skipped["pcapng interface block too short"] += 1
                    ifaces.append((0, 1e-6, 0))
                else:
                    lt, _res, snap = struct.unpack_from(endian + "HHI", body)
                    ifaces.append((lt, _tsresol(body[8:], endian), snap))
                    self.linktypes.append(lt)
            elif btype in (S.PCAPNG_EPB, S.PCAPNG_OPB, S.PCAPNG_SPB):
                rec = self._packet_block(btype, body, endian, ifaces, offset, number + 1)
                if rec is not None:
                    number += 1
                    self.records = number
                    yield rec
            else:
                self.skipped[f"pcapng block type {btype:#x} (no packet)"] += 1
            offset += blen

    def _packet_block(self, btype, body, endian, ifaces, offset, number) -> Record | None:
        try:
            if btype == S.PCAPNG_EPB:
                iface, th, tl, cap, orig = struct.unpack_from(endian + "IIIII", body)
                start = 20
            elif btype == S.PCAPNG_OPB:
                iface, _drops, th, tl, cap, orig = struct.unpack_from(endian + "HHIIII", body)
                start = 20
            else:  # simple packet block: interface 0, no timestamp
                (orig,) = struct.unpack_from(endian + "I", body)
                iface, th, tl = 0, 0, 0
                start = 4
                cap = min(orig, len(body) - 4)
        except struct.error:
            self.skipped["pcapng packet block too short"] += 1
            return None
        if iface >= len(ifaces):
            self.skipped["pcapng packet for an undeclared interface"] += 1
            return None
        if start + cap > len(body):
            self.skipped["pcapng packet longer than its block"] += 1
            return None
        linktype, unit, _snap = ifaces[iface]
        ts = ((th << 32) | tl) * unit
        return Record(number, ts, linktype, body[start:start + cap], orig, offset)


def _tsresol(options: bytes, endian: str) -> float:
    """The if_tsresol option (code 9) of an interface block, default microseconds."""
    pos = 0
    while pos + 4 <= len(options):
        code, length = struct.unpack_from(endian + "HH", options, pos)
        if code == 0:
            break
        if code == 9 and length >= 1:
            v = options[pos + 4]
            return 2.0 ** -(v & 0x7F) if v & 0x80 else 10.0 ** -v
        pos += 4 + ((length + 3) & ~3)
    return 1e-6

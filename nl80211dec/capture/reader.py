"""Streaming readers for pcap and pcapng (optionally gzip-compressed).

Records are read one at a time from the file object, so memory does not grow
with the capture.  Damage ends the stream with a :class:`DecodeError` kept in
``reader.damage``; everything before it has been yielded.  Headers are
unpacked with structs derived from the schemas in :mod:`.schemas`.
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Literal

from ..errors import DecodeError, NotACaptureError, TruncatedError
from ..wire.layout import fixed_layout
from . import schemas as S

# No real capture record is larger than this; a larger length is corruption,
# and must not become a huge allocation.
MAX_RECORD = 1 << 20

_ORDERS: dict[str, Literal["little", "big"]] = {"<": "little", ">": "big"}
# the magic as it appears in the file -> byte order, seconds per timestamp unit
_MAGICS = {magic.to_bytes(4, byteorder): (order, unit)
           for magic, unit in ((S.PCAP_MAGIC_US, 1e-6), (S.PCAP_MAGIC_NS, 1e-9))
           for order, byteorder in _ORDERS.items()}
_PCAPNG_SHB = S.PCAPNG_SHB.to_bytes(4, "big")  # a palindrome: the same in either order
_PCAPNG_BOMS = {S.PCAPNG_BOM.to_bytes(4, byteorder): order for order, byteorder in _ORDERS.items()}

# by byte order; the readers below unpack these fields by position
_PCAP_HEADER = {"<": fixed_layout(S.PcapHeaderLE), ">": fixed_layout(S.PcapHeaderBE)}
_PCAP_RECORD = {o: layout.unpacks_as("ts_sec", "ts_frac", "incl_len", "orig_len") for o, layout in
                (("<", fixed_layout(S.PcapRecordLE)), (">", fixed_layout(S.PcapRecordBE)))}
_BLOCK = {o: fixed_layout(S.PcapngBlock, o).unpacks_as("block_type", "block_len") for o in _ORDERS}
_BLOCK_HEAD = _BLOCK["<"].size
_BLOCK_TAIL = S.PcapngBlock.block_len2.sizeof()  # the length repeated after the body
_BLOCK_FRAMING = _BLOCK_HEAD + _BLOCK_TAIL
_SHB_MIN = _BLOCK_FRAMING + fixed_layout(S.PcapngSHBBody).size
_IDB = {o: fixed_layout(S.PcapngIDBBody, o).unpacks_as("linktype", "reserved", "snaplen") for o in _ORDERS}
_EPB = {o: fixed_layout(S.PcapngEPBBody, o).unpacks_as("interface_id", "ts_high", "ts_low", "cap_len", "orig_len")
        for o in _ORDERS}
_OPB = {o: fixed_layout(S.PcapngOPBBody, o).unpacks_as(
    "interface_id", "drops_count", "ts_high", "ts_low", "cap_len", "orig_len") for o in _ORDERS}
_SPB = {o: fixed_layout(S.PcapngSPBBody, o).unpacks_as("orig_len") for o in _ORDERS}
_OPTION = {o: fixed_layout(S.PcapngOption, o).unpacks_as("code", "length") for o in _ORDERS}


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
            f = io.BufferedReader(_Prepend(head, f))
        return gzip.GzipFile(fileobj=f, mode="rb"), True  # type: ignore[return-value]
    if f.seekable():
        f.seek(start)
        return f, False
    return io.BufferedReader(_Prepend(head, f)), False


class _Prepend(io.RawIOBase):
    """A stream that yields some already-read bytes, then the rest of a stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
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
        self.unreadable: Counter[str] = Counter()  # packet blocks that hold a packet nobody can read, by reason
        self.damage: DecodeError | None = None
        self.records = 0
        try:
            magic = self._read_exact(4, 0, "file header")
        except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as e:
            raise NotACaptureError(f"not a capture file ({e})", layer="capture", offset=0) from None
        except TruncatedError as e:
            why = "its compressed stream is corrupt" if "compressed" in e.message else "shorter than any capture header"
            raise NotACaptureError(f"not a capture file: {why}", layer="capture", offset=0) from None
        if magic in _MAGICS:
            self.format = "pcap"
            self._endian, self._tsunit = _MAGICS[magic]
            header = _PCAP_HEADER[self._endian]
            h = header.parse(magic + self._read_header(header.size - len(magic)))
            self.snaplen = h["snaplen"]
            self.linktypes = [h["linktype"] & 0xFFFF]
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
        except (EOFError, gzip.BadGzipFile, OSError, zlib.error) as e:
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
        hdr = _PCAP_RECORD[self._endian]
        size = hdr.size
        unit = self._tsunit
        offset = _PCAP_HEADER[self._endian].size
        limit = max(self.snaplen, 262144) if self.snaplen else MAX_RECORD
        limit = min(limit, MAX_RECORD)
        number = 0
        linktype = self.linktypes[0]
        while True:
            head = self._read_upto(size, offset)
            if not head:
                return
            if len(head) < size:
                raise TruncatedError(f"file ends inside a record header ({len(head)} of {size} bytes)",
                                     layer="capture", offset=offset)
            sec, frac, incl, orig = hdr.unpack(head)
            if incl > limit:
                raise DecodeError(f"record length {incl} exceeds the snapshot length {limit}; "
                                  "the file is corrupt from here", layer="capture", offset=offset)
            data = self._read_exact(incl, offset + size, f"record {number + 1}")
            number += 1
            self.records = number
            yield Record(number, sec + frac * unit, linktype, data, orig, offset)
            offset += size + incl
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
                bom = self._read_exact(4, offset + _BLOCK_HEAD, "section header")
                if bom not in _PCAPNG_BOMS:
                    raise DecodeError("section header has no valid byte-order magic", layer="capture",
                                      offset=offset + _BLOCK_HEAD)
                endian = _PCAPNG_BOMS[bom]
                blen = _BLOCK[endian].unpack(btype_raw + blen_raw)[1]
                if blen < _SHB_MIN or blen % 4 or blen > MAX_RECORD:
                    raise DecodeError(f"section header length {blen} is invalid", layer="capture",
                                      offset=offset)
                self._read_exact(blen - _BLOCK_HEAD - 4, offset + _BLOCK_HEAD + 4, "section header")
                ifaces = []
                offset += blen
                continue
            btype, blen = _BLOCK[endian].unpack(btype_raw + self._read_exact(4, offset + 4, "block header"))
            if blen < _BLOCK_FRAMING or blen % 4 or blen > MAX_RECORD:
                raise DecodeError(f"block length {blen} is invalid; the file is corrupt from here",
                                  layer="capture", offset=offset)
            body = self._read_exact(blen - _BLOCK_HEAD, offset + _BLOCK_HEAD, f"block of type {btype:#x}")
            body = body[:-_BLOCK_TAIL]
            if btype == S.PCAPNG_IDB:
                idb = _IDB[endian]
                if len(body) < idb.size:
                    self.skipped["pcapng interface block too short"] += 1
                    ifaces.append((0, 1e-6, 0))
                else:
                    lt, _res, snap = idb.unpack_from(body)
                    ifaces.append((lt, _tsresol(body[idb.size:], endian), snap))
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
        hdr = (_EPB if btype == S.PCAPNG_EPB else _OPB if btype == S.PCAPNG_OPB else _SPB)[endian]
        start = hdr.size
        if len(body) < start:
            self.unreadable["pcapng packet block too short"] += 1
            return None
        if btype == S.PCAPNG_EPB:
            iface, th, tl, cap, orig = hdr.unpack_from(body)
        elif btype == S.PCAPNG_OPB:
            iface, _drops, th, tl, cap, orig = hdr.unpack_from(body)
        else:  # simple packet block: interface 0, no timestamp
            (orig,) = hdr.unpack_from(body)
            iface, th, tl = 0, 0, 0
            cap = min(orig, len(body) - start)
        if iface >= len(ifaces):
            self.unreadable["pcapng packet for an undeclared interface"] += 1
            return None
        if start + cap > len(body):
            self.unreadable["pcapng packet longer than its block"] += 1
            return None
        linktype, unit, _snap = ifaces[iface]
        ts = ((th << 32) | tl) * unit
        return Record(number, ts, linktype, body[start:start + cap], orig, offset)


def _tsresol(options: bytes, endian: str) -> float:
    """The if_tsresol option (code 9) of an interface block, default microseconds."""
    option = _OPTION[endian]
    size = option.size
    pos = 0
    while pos + size <= len(options):
        code, length = option.unpack_from(options, pos)
        if code == 0:
            break
        if code == 9 and length >= 1:
            v = options[pos + size]
            return 2.0 ** -(v & 0x7F) if v & 0x80 else 10.0 ** -v
        pos += size + ((length + 3) & ~3)
    return 1e-6

"""Tell from a file's first bytes whether it is worth decoding, without decoding it.

Used when a directory is expanded: a ``.txt`` or ``.log`` beside the
captures is taken only when it starts like a capture (pcap/pcapng magic,
or gzip holding one) or like iwmon's text output, never by its name.
"""

from __future__ import annotations

import re
import zlib

from . import schemas as S

HEAD = 4096
_MAGICS = {m.to_bytes(4, order) for m in (S.PCAP_MAGIC_US, S.PCAP_MAGIC_NS) for order in ("little", "big")}
_MAGICS.add(S.PCAPNG_SHB.to_bytes(4, "big"))
_IWMON_LINE = re.compile(rb"^[<>] (?:[A-Za-z ]*: )?(?:Request|Event|Response|Result):", re.MULTILINE)


def looks_like_input(head: bytes) -> bool:
    """A capture, a gzip-compressed capture or iwmon text, judged by the first bytes of the file."""
    if head[:2] == b"\x1f\x8b":
        try:  # a head cut mid-stream decompresses as far as it goes
            head = zlib.decompressobj(31).decompress(head, HEAD)
        except zlib.error:
            return False
    if head[:4] in _MAGICS:
        return True
    return b"Wireless monitor ver" in head[:200] or bool(_IWMON_LINE.search(head))


def sniff_file(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return looks_like_input(f.read(HEAD))
    except OSError:
        return False

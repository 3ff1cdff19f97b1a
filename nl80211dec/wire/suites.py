"""Cipher and AKM suite selectors as users read them: ``00-0f-ac:8 (SAE)``."""

from __future__ import annotations

import struct


def suite_text(value: int, table: dict[int, str]) -> tuple[str, str | None]:
    """Name a selector (OUI << 8 | type); notice one written in the wrong byte order."""

    def fmt(v: int) -> str:
        name = table.get(v)
        base = f"{v >> 24 & 0xff:02x}-{v >> 16 & 0xff:02x}-{v >> 8 & 0xff:02x}:{v & 0xff}"
        return f"{base} ({name})" if name else base

    if value not in table:
        swapped = struct.unpack("<I", struct.pack(">I", value))[0]
        if swapped in table:
            return fmt(swapped), ("selector is byte-swapped (big-endian on the wire); brcmfmac sends the "
                                  "AKM of EXTERNAL_AUTH this way")
    return fmt(value), None

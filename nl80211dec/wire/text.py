"""How values read as text: MAC addresses, named numbers, errno codes, untrusted strings."""

from __future__ import annotations

import errno as errno_mod
import os


def format_mac(b: bytes) -> str:
    return ":".join(f"{x:02x}" for x in b)


def escape_text(raw: bytes) -> str:
    """Readable, terminal-safe text for untrusted bytes such as SSIDs."""
    text = raw.decode("utf-8", "backslashreplace")
    out = []
    for ch in text:
        if ch == "\\" or ch.isprintable():
            out.append(ch)
        else:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
    return "".join(out)


def named(value: int, table: dict[int, str]) -> str:
    """'NAME (value)' when the table names the value, else the number."""
    name = table.get(value)
    return f"{name} ({value})" if name else str(value)


def errno_name(value: int) -> str:
    """'EBADE' for -52 (or 52); 'OK' for 0."""
    code = -value if value < 0 else value
    if code == 0:
        return "OK"
    return errno_mod.errorcode.get(code, f"E{code}")


def describe_errno(value: int) -> str:
    """'-52 EBADE (Invalid exchange)' style text for an NLMSG_ERROR errno."""
    if value == 0:
        return "0 (success)"
    code = -value if value < 0 else value
    if code > 4095:  # no kernel errno is this large (MAX_ERRNO); a corrupt message
        return f"{value} (not an errno)"
    return f"{value} {errno_name(value)} ({os.strerror(code)})"

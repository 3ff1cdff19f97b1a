"""How values read as text: MAC addresses, named numbers, errno codes, untrusted strings."""

from __future__ import annotations

import errno as errno_mod
import os


def format_mac(b: bytes) -> str:
    return ":".join(f"{x:02x}" for x in b)


def text_of(raw: bytes) -> str:
    """The exact text of untrusted bytes: UTF-8, with any other byte kept as a lone surrogate (reversible)."""
    return raw.decode("utf-8", "surrogateescape")


def escape_str(text: str) -> str:
    """The one rule for showing a string that came from a capture or a log (terminal, HTML, notebook).

    A backslash shows as ``\\\\``; a byte that is not UTF-8 (see :func:`text_of`)
    as ``\\xNN``; every other character that is not printable - controls,
    newlines, bidirectional overrides, unassigned code points - as ``\\xNN``,
    ``\\uNNNN`` or ``\\UNNNNNNNN``.  Two different strings never show alike,
    and nothing shown can move the cursor, start a line or reorder text.
    """
    if text.isprintable() and "\\" not in text:
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif 0xDC80 <= code <= 0xDCFF:  # a byte surrogateescape kept
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch.isprintable():
            out.append(ch)
        elif code < 0x80:
            out.append(f"\\x{code:02x}")  # \\xNN above 0x7f is only ever a byte that is not UTF-8
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return "".join(out)


def quoted(text: str | None) -> str:
    """'text' escaped and in single quotes, for sentences; None as None."""
    return "None" if text is None else f"'{escape_str(text)}'"


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

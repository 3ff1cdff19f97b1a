"""The verbose timeline (``-V``): one header line per message, attributes as a tree.

Modelled on iwmon's layout so its users feel at home: the message number,
``<`` user space to kernel, ``>`` kernel to user space, the time on the
right.  Untrusted strings are escaped; nothing is ever dropped silently.
"""

from __future__ import annotations

from functools import lru_cache

from ..netlink.core import flag_names
from ..netlink.message import Attr, Message
from ..pipeline import Summary
from ..wire.text import describe_errno, escape_str
from .colour import PLAIN, Paint
from .labels import answers_cleared, cleared_request
from .shared import SharedRenderings

ROLE_WORDS = {"request": "Request", "reply": "Reply", "ack": "ACK", "error": "Error", "event": "Event",
              "done": "Done", "eapol": "EAPoL", "unknown": "Record"}
WIDTH = 76
MAX_HEX_LINES = 64  # longer binary values are summarised; --full-hex shows all


_PRINTABLE = bytes(b if 32 <= b < 127 else 0x2E for b in range(256))  # other bytes show as "."


def hexdump(raw: bytes, indent: str, limit: int | None = MAX_HEX_LINES) -> list[str]:
    lines = []
    for i in range(0, len(raw), 16):
        if limit is not None and i // 16 >= limit:
            lines.append(f"{indent}... {len(raw) - i} more bytes")
            break
        chunk = raw[i:i + 16]
        text = chunk.translate(_PRINTABLE).decode("ascii")
        lines.append(f"{indent}{chunk.hex(' '):<48}  {text}")
    return lines


def offset_hexdump(raw: bytes, indent: str) -> list[str]:
    """Every byte, with offsets, as tshark -x prints a packet."""
    rows = hexdump(raw, "", None)
    return [f"{indent}{16 * i:04x}  {line}" for i, line in enumerate(rows)]


def _flags_kind(nl_type: int, cmd_name: str) -> str:
    if nl_type == 2:
        return "error"
    if cmd_name.startswith(("GET", "NEWFAMILY")) or "GET" in cmd_name:
        return "get"
    if cmd_name.startswith(("NEW", "SET")):
        return "new"
    return ""


def header_line(msg: Message, t0: float, when: str | None = None) -> str:
    """'< Request: nl80211 AUTHENTICATE (37) len 204 [request,ack]    13.856942' (``when``: the time as shown)."""
    cmd_name, cmd = msg.cmd_name, msg.cmd
    if cleared_request(msg) or answers_cleared(msg):
        cmd_name, cmd = ("(payload cleared)" if cleared_request(msg) else "(answer to a cleared request)"), None
    left = _header_left(msg.role, msg.family, msg.protocol, msg.family_source, cmd_name, msg.type_name,
                        cmd, msg.nl_type, msg.length, msg.flags)
    return f"{left} {f'{msg.timestamp - t0:.6f}' if when is None else when}"


@lru_cache(maxsize=4096)  # a capture shows few distinct headers: format each once
def _header_left(role: str, family: str | None, protocol: str, family_source: str | None, cmd_name: str,
                 type_name: str, cmd: int | None, nl_type: int, length: int, flags: int) -> str:
    arrow = "<" if role == "request" else ">"
    fam = escape_str(family or protocol)
    if family_source == "assumed":
        fam += "?"
    what = cmd_name or type_name or "?"
    num = f" ({cmd})" if cmd is not None and cmd_name else ""
    kind = _flags_kind(nl_type, cmd_name or "")
    shown = ",".join(flag_names(flags, kind=kind)) if protocol != "eapol" else ""
    left = f"{arrow} {ROLE_WORDS.get(role, role)}: {fam} {what}{num} len {length}"
    if shown:
        left += f" [{shown}]"
    return f"{left:<{WIDTH}}"


def _value_text(a: Attr) -> str:
    if a.problem is not None:
        return f"MALFORMED: {a.problem} ({len(a.raw)} bytes)"
    if a.text is not None:
        return a.text
    if type(a.value) is int and a.kind != "flag":  # the common case first: a plain number
        return int.__repr__(a.value)
    if a.kind == "flag":
        return "true"
    if a.kind == "ssid":
        return f'"{escape_str(a.value)}"'
    if isinstance(a.value, str):
        return escape_str(a.value)
    if isinstance(a.value, list):
        return ", ".join(str(v) for v in a.value) if a.value else "(none)"
    if isinstance(a.value, dict):
        return ", ".join(f"{k} {v}" for k, v in a.value.items())
    if a.value is not None:
        return str(a.value)
    if a.children is not None:
        return f"{len(a.children)} attrs"
    return f"{len(a.raw)} bytes"


def attr_lines(a: Attr, indent: str, full_hex: bool = False) -> list[str]:
    """The attribute and everything under it, one line each."""
    lines: list[str] = []
    _attr_into(a, indent, full_hex, lines)
    return lines


_HEXED = frozenset(("binary", "ies", "frame", "sae"))


def _attr_into(a: Attr, indent: str, full_hex: bool, lines: list[str]) -> None:
    """:func:`attr_lines` appending to one list: a list per attribute, copied into its parent's, was half the cost."""
    lines.append(f"{indent}{a.name} ({a.num}): {_value_text(a)}")
    if a.note:
        lines.append(f"{indent}    note: {a.note}")
    sub = indent + "    "
    decoded = a.decoded
    if decoded is not None and hasattr(decoded, "text_lines"):
        lines.extend(decoded.text_lines(sub))
    children = a.children
    if children:
        for c in children:
            _attr_into(c, sub, full_hex, lines)
    elif ((a.kind in _HEXED or a.problem is not None) and a.raw and (decoded is None or full_hex)):
        lines.extend(hexdump(a.raw, sub, None if full_hex else MAX_HEX_LINES))


def message_lines(msg: Message, t0: float, full_hex: bool = False, when: str | None = None,
                  paint: Paint = PLAIN) -> list[str]:
    """The message as a tree: the numbered header line, netlink header, errors, notes, attributes."""
    lines = [f"{paint('number', f'#{msg.index}')} {paint(msg.role, header_line(msg, t0, when))}"]
    ind = "    "
    if msg.protocol != "eapol":
        extra = f"{ind}seq {msg.seq} pid {msg.pid}"
        if msg.reply_to is not None:
            extra += f", answers #{msg.reply_to}"
        if msg.family_source == "assumed":
            extra += f", family id {msg.family_id:#x} assumed nl80211"
        elif msg.family_source == "later-nlctrl":
            extra += f", family id {msg.family_id:#x} named by a later NEWFAMILY"
        lines.append(extra)
    if msg.problem:
        lines.append(paint("malformed", f"{ind}MALFORMED: {escape_str(msg.problem)}"))
        lines.extend(hexdump(msg.raw, ind + "    "))
    if msg.error is not None:
        e = msg.error
        lines.append(f"{ind}{'status' if e.errno == 0 else 'errno'}: {describe_errno(e.errno)}")
        if e.ext_msg:
            at = f" at offset {e.ext_offset}" if e.ext_offset else ""
            lines.append(f'{ind}extended ACK: "{escape_str(e.ext_msg)}"{at}')
    for key, value in msg.header_extra.items():
        if not key.endswith("_text"):
            text = msg.header_extra.get(f"{key}_text")
            lines.append(f"{ind}{key}: {escape_str(str(value))}" + (f" ({escape_str(str(text))})" if text else ""))
    for note in msg.notes:
        lines.append(paint("note", f"{ind}! {escape_str(note)}"))
    if answers_cleared(msg):
        lines.append(paint("note", f"{ind}! answers a request whose payload the kernel cleared: its command is "
                                   "not known"))
    if msg.eapol is not None and hasattr(msg.eapol, "text_lines"):
        lines.extend(msg.eapol.text_lines(ind))
    # an identical payload was rendered before: reuse its lines
    lines.extend(_RENDERED.get(msg.shared, full_hex, lambda: _attrs_lines(msg.attrs, ind, full_hex)))
    return lines


_RENDERED = SharedRenderings()


def _attrs_lines(attrs: list[Attr], indent: str, full_hex: bool) -> list[str]:
    lines: list[str] = []
    for a in attrs:
        _attr_into(a, indent, full_hex, lines)
    return lines


def summary_lines(summary: Summary) -> list[str]:
    d = summary.as_dict()
    lines = ["", f"Summary: {d['records']} records ({d['decoded_records']} decoded, {d['malformed_records']} "
                 f"malformed, {d['skipped_records']} skipped), {d['messages']} messages ({d['malformed']} "
                 f"malformed), {d['duplicates']} duplicate deliveries, {d['cleared_by_kernel']} cleared by the "
                 "kernel"]
    for reason, n in sorted(d["skipped"].items()):
        lines.append(f"  skipped {n}: {reason}")
    for fid, info in sorted(d["families"].items()):
        lines.append(f"  family {fid} = {escape_str(info['name'])} ({info['source']})")
    for note in d["notes"]:
        lines.append(f"  note: {escape_str(note)}")
    if d.get("air"):
        a = d["air"]
        off = "not estimated" if a["clock_offset_s"] is None else f"{a['clock_offset_s'] * 1000:+.3f} ms"
        lines.append(f"  air: {a['frames']} frames, {a['sae_frames']} SAE frames ({a['matched_sae']} matched), "
                     f"{a['netlink_sae_not_on_air']} netlink SAE frames never on air, {a['air_sae_not_in_netlink']} "
                     f"SAE frames on air never seen in netlink; clock offset {off} "
                     f"(from {a['clock_offset_from']} frames)")
    if d["damage"]:
        lines.append(f"  DAMAGED: {d['damage']['error']}; everything before it was decoded")
    return lines

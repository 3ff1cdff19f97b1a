"""One line per message, like tshark's default: number, time, direction and role, family, command, and
the few attributes that say which message it is.

The attributes shown are a table (:data:`SHOWN`); the full tree is ``-V``
(:mod:`.text`).  Strings from the capture are escaped.
"""

from __future__ import annotations

from typing import Any

from ..dot11.frames import Frame
from ..netlink.message import Attr, Message
from ..nl80211.cleared import CLEARED_NOTE
from ..sae.body import SaeBody
from ..wire.text import describe_errno, escape_str
from .colour import PLAIN, Paint
from .labels import command
from .text import ROLE_WORDS

CMD_WIDTH = 22
FAMILY_WIDTH = 9


def _value(a: Attr) -> str:
    if a.text is not None:
        return escape_str(a.text)
    if a.kind == "ssid":
        return f'"{escape_str(a.value)}"'
    if a.kind == "flag":
        return ""
    return escape_str(str(a.value)) if a.value is not None else f"{len(a.raw)} bytes"


# attribute -> how it is written on the line ("{}" is the value); in this order
SHOWN: tuple[tuple[str, str], ...] = (
    ("IFINDEX", "ifindex {}"), ("IFNAME", "{}"), ("MAC", "MAC {}"), ("BSSID", "BSSID {}"), ("SSID", "SSID {}"),
    ("WIPHY_FREQ", "{}"), ("AUTH_TYPE", "auth {}"), ("EXTERNAL_AUTH_ACTION", "action {}"),
    ("STATUS_CODE", "status {}"), ("REASON_CODE", "reason {}"), ("ACK", "ACKed"), ("TIMED_OUT", "timed out"),
    ("PMKID", "PMKID"), ("FAMILY_NAME", "{}"), ("FAMILY_ID", "id {}"), ("OPERSTATE", "{}"),
)
_SHOWN = dict(SHOWN)
_ORDER = {name: i for i, (name, _fmt) in enumerate(SHOWN)}


def sae_words(b: SaeBody) -> str:
    """'SAE commit group 20', 'SAE commit status UNSUPPORTED_FINITE_CYCLIC_GROUP (77) group 20'."""
    words = [f"SAE {b.message}"]
    if b.status:
        words.append(f"status {b.status_name} ({b.status})")
    if b.group is not None:
        words.append(f"group {b.group}")
    if b.token:
        words.append("token")
    if b.send_confirm is not None:
        words.append(f"send-confirm {b.send_confirm}")
    return " ".join(words)


def frame_words(f: Frame) -> str:
    """'AUTH 02:00:00:00:01:00 > 02:00:00:00:00:00, SAE commit group 19', 'DEAUTH ... reason ...'."""
    sa, da = f.addr("SA") or f.addr("TA"), f.addr("DA") or f.addr("RA")
    out = f.subtype_name or f.type_name
    if sa or da:
        out += f" {sa or '?'} > {da or '?'}"
    for key in ("status", "reason"):
        if key in f.fields and not (f.sae is not None and key == "status"):
            out += f" {key} {escape_str(str(f.fields[key]))}"
    if f.sae is not None:
        out += ", " + sae_words(f.sae)
    return out


def _payload_words(decoded: Any) -> str | None:
    if isinstance(decoded, Frame):
        return frame_words(decoded)
    if isinstance(decoded, SaeBody):
        return sae_words(decoded)
    handshake = getattr(decoded, "handshake", None)
    return f"EAPoL {handshake}" if handshake else None


def details(msg: Message) -> list[str]:
    """The identifying attributes of a message, in the order of :data:`SHOWN`, then its payloads and notes."""
    found = sorted((a for a in msg.attrs if a.name in _SHOWN), key=lambda a: _ORDER[a.name])
    out = [_SHOWN[a.name].format(_value(a)).strip() for a in found]
    if "ifindex" in msg.header_extra and msg.get("IFINDEX") is None:
        out.insert(0, f"ifindex {msg.header_extra['ifindex']}")
        flags = msg.header_extra.get("ifi_flags_text")
        if flags:
            out.append(escape_str(str(flags)))
    payloads = msg.payloads if msg.payloads is not None else [a for a in msg.walk() if a.decoded is not None]
    out += [w for a in payloads if (w := _payload_words(a.decoded))]
    if msg.eapol is not None and (w := _payload_words(msg.eapol)):
        out.append(w)
    if msg.error is not None and msg.error.errno:
        out.append(f"errno {describe_errno(msg.error.errno)}")
        if msg.error.ext_msg:
            out.append(f'"{escape_str(msg.error.ext_msg)}"')
    if msg.reply_to is not None:
        out.append(f"answers #{msg.reply_to}")
    if msg.duplicate_of is not None:
        out.append(f"duplicate of #{msg.duplicate_of}")
    return out


def brief_line(msg: Message, when: str, paint: Paint = PLAIN) -> str:
    """``  968  13.856942 < Request nl80211   AUTHENTICATE  ifindex 3, MAC ..., SAE commit group 20``."""
    arrow = "<" if msg.role == "request" else ">"
    fam = escape_str(msg.family or msg.protocol) + ("?" if msg.family_source == "assumed" else "")
    role = paint(msg.role, f"{arrow} {ROLE_WORDS.get(msg.role, msg.role):<7}")
    words = details(msg)
    if msg.problem:
        words.insert(0, paint("malformed", f"MALFORMED: {escape_str(msg.problem)}"))
    elif msg.malformed:
        words.insert(0, paint("malformed", "MALFORMED attribute"))
    notes = [n for n in msg.notes if n != CLEARED_NOTE and not (msg.duplicate_of is not None
                                                               and n.startswith("duplicate delivery"))]
    if notes:
        words.append(paint("note", "! " + "; ".join(escape_str(n) for n in notes)))
    return (f"{paint('number', f'{msg.index:>6}')} {paint('time', when)} {role} {fam:<{FAMILY_WIDTH}} "
            f"{command(msg):<{CMD_WIDTH}} {', '.join(words)}").rstrip()


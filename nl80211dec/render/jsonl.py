"""JSON lines: one object per message, attempt and summary (docs/json.md).

Octets are hex strings; every string is escaped by ``json`` so the output is
valid JSON whatever the capture holds.
"""

from __future__ import annotations

import json
from typing import Any

from ..netlink.core import flag_names
from ..netlink.message import Attr, Message


def attr_dict(a: Attr) -> dict[str, Any]:
    d: dict[str, Any] = {"id": a.num, "name": a.name, "type": a.kind}
    if a.value is not None:
        d["value"] = a.value
    if a.text is not None:
        d["text"] = a.text
    if a.children is not None:
        d["children"] = [attr_dict(c) for c in a.children]
    else:
        d["raw"] = a.raw.hex()
    if a.decoded is not None and hasattr(a.decoded, "as_json"):
        d.update(a.decoded.as_json())
    if a.problem is not None:
        d["problem"] = a.problem
    if a.note is not None:
        d["note"] = a.note
    return d


def message_dict(msg: Message, attrs: bool = True) -> dict[str, Any]:
    """The message as the JSON schema shapes it (``attrs=False`` leaves the attributes out)."""
    d: dict[str, Any] = {
        "kind": "message",
        "index": msg.index,
        "record": msg.record,
        "timestamp": round(msg.timestamp, 9),
        "role": msg.role,
        "protocol": msg.protocol,
        "family": msg.family,
        "family_source": msg.family_source,
        "nl_type": msg.nl_type,
        "flags": flag_names(msg.flags),
        "seq": msg.seq,
        "pid": msg.pid,
        "length": msg.length,
        "cmd": msg.cmd,
        "cmd_name": msg.cmd_name or msg.type_name or None,
    }
    if attrs:
        d["attrs"] = [attr_dict(a) for a in msg.attrs]
    d["malformed"] = msg.malformed
    if msg.family_id is not None:
        d["family_id"] = msg.family_id
    if msg.reply_to is not None:
        d["reply_to"] = msg.reply_to
    if msg.duplicate_of is not None:
        d["duplicate_of"] = msg.duplicate_of
    if msg.problem is not None:
        d["problem"] = msg.problem
        d["raw"] = msg.raw.hex()
    if msg.notes:
        d["notes"] = list(msg.notes)
    if msg.header_extra:
        d["header"] = msg.header_extra
    if msg.error is not None:
        e = msg.error
        d["error"] = {"errno": e.errno, "name": e.errno_name, "echo_type": e.echo_type, "echo_seq": e.echo_seq,
                      "ext_msg": e.ext_msg, "ext_offset": e.ext_offset}
    if msg.eapol is not None and hasattr(msg.eapol, "as_json"):
        d["eapol"] = msg.eapol.as_json()["eapol"]
    return d


def message_json(msg: Message) -> str:
    """One JSON line's text for ``msg``; a payload the decode memo shares is serialised once."""
    shared = msg.shared
    if shared is None:
        return dumps(message_dict(msg))
    frag = shared.rendered.get("json")
    if frag is None:
        frag = shared.rendered["json"] = dumps([attr_dict(a) for a in msg.attrs])
    # "attrs" sits right before "malformed", which every message has; a quote
    # inside a string value is escaped, so this is the key and nothing else.
    head, sep, tail = dumps(message_dict(msg, attrs=False)).partition(',"malformed":')
    return f'{head},"attrs":{frag}{sep}{tail}'


def dumps(obj: dict[str, Any]) -> str:
    return json.dumps(obj, separators=(",", ":"), default=_default)


def _default(o: Any) -> Any:
    if isinstance(o, (bytes, bytearray, memoryview)):
        return bytes(o).hex()
    if hasattr(o, "as_json"):
        return o.as_json()
    return str(o)

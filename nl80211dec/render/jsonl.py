"""JSON lines: one object per message, attempt and summary (docs/json.md).

Octets are hex strings; every string is escaped by ``json`` so the output is
valid JSON whatever the capture holds.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from ..netlink.core import flag_names
from ..netlink.message import Attr, Message
from .shared import SharedRenderings


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


_esc: Callable[[str], str] = json.encoder.encode_basestring_ascii  # what dumps() writes for a str
_HEADS: dict[tuple[int, str, str], str] = {}  # (id, name, type) -> '{"id":..,"name":..,"type":..'


def attr_json(a: Attr) -> str:
    """``dumps(attr_dict(a))``, written straight from the typed values (tests hold the two equal).

    Most attributes are an integer, a string or a flag with a fixed name: building a dict per
    attribute for the encoder to take apart again was most of the cost of ``--json``.  Whatever
    is not one of those simple shapes (a decoded frame, a list, a dict) goes through ``dumps``.
    """
    if a.decoded is not None:
        return dumps(attr_dict(a))
    key = (a.num, a.name, a.kind)
    head = _HEADS.get(key)
    if head is None:
        head = _HEADS[key] = f'{{"id":{dumps(a.num)},"name":{dumps(a.name)},"type":{dumps(a.kind)}'
    v = a.value
    t = type(v)
    if t is int:
        value = f',"value":{int.__repr__(v)}'
    elif v is None:
        value = ""
    elif t is bool:
        value = ',"value":true' if v else ',"value":false'
    elif t is str:
        value = ',"value":' + _esc(v)
    else:
        value = ',"value":' + dumps(v)
    text = a.text
    if text is not None:
        value += ',"text":' + (_esc(text) if type(text) is str else dumps(text))
    children = a.children
    if children is not None:
        body = ',"children":[' + ",".join([attr_json(c) for c in children]) + "]"
    else:
        body = f',"raw":"{a.raw.hex()}"'
    if a.problem is not None:
        body += ',"problem":' + dumps(a.problem)
    if a.note is not None:
        body += ',"note":' + dumps(a.note)
    return f"{head}{value}{body}}}"


def attrs_json(attrs: list[Attr]) -> str:
    """``dumps([attr_dict(a) for a in attrs])``, through :func:`attr_json`.

    The brackets go onto the first and last item, not around the joined text: one copy of a
    large list's JSON instead of three.
    """
    items = [attr_json(a) for a in attrs]
    if not items:
        return "[]"
    items[0] = "[" + items[0]
    items[-1] += "]"
    return ",".join(items)


def message_dict(msg: Message) -> dict[str, Any]:
    """The message as the JSON schema shapes it (docs/json.md)."""
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
        "attrs": [attr_dict(a) for a in msg.attrs],
    }
    d.update(_tail(msg))
    return d


def _tail(msg: Message) -> dict[str, Any]:
    """The keys after ``attrs``: ``malformed`` always, the rest when they have something to say."""
    d: dict[str, Any] = {"malformed": msg.malformed}
    for key in _OPTIONAL_INTS:
        value = getattr(msg, key)
        if value is not None:
            d[key] = value
    d.update(_rare(msg))
    return d


_OPTIONAL_INTS = ("family_id", "reply_to", "duplicate_of", "line")  # integer keys written only when set


def _rare(msg: Message) -> dict[str, Any]:
    d: dict[str, Any] = {}
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


def message_json(msg: Message, prefix: str = "", end: str = "") -> str:
    """``dumps(message_dict(msg))``, written faster (tests hold the two equal).

    The header fields that repeat from message to message are serialised once
    per distinct combination, the numbers that change are formatted in place,
    and a payload the decode memo shares has its attributes serialised once.
    ``prefix`` goes right after the opening brace and ``end`` after the closing
    one, so a caller adding a key or a newline does not copy a large line again
    (one 1 MiB record makes a line of about 2 MB: the scale suite's F6).
    """
    before_seq, before_attrs = _header_json(msg.role, msg.protocol, msg.family, msg.family_source, msg.nl_type,
                                            msg.flags, msg.length, msg.cmd, msg.cmd_name or msg.type_name or None)
    frag = _RENDERED.get(msg.shared, "json", lambda: attrs_json(msg.attrs))
    ts = round(msg.timestamp, 9)
    ts_text = float.__repr__(ts) if type(ts) is float else dumps(ts)
    parts = [f'{{{prefix}"kind":"message","index":{msg.index:d},"record":{msg.record:d},"timestamp":{ts_text}'
             f'{before_seq}{msg.seq:d},"pid":{msg.pid:d}{before_attrs}', frag,
             f',"malformed":{"true" if msg.malformed else "false"}']
    for key in _OPTIONAL_INTS:
        value = getattr(msg, key)
        if value is not None:
            parts.append(f',"{key}":{value:d}')
    rare = _rare(msg)
    if rare:
        parts.append("," + dumps(rare)[1:-1])
    parts.append("}" + end)
    return "".join(parts)


@lru_cache(maxsize=4096)  # a capture shows few distinct headers: serialise each once
def _header_json(role: str, protocol: str, family: str | None, family_source: str | None, nl_type: int,
                 flags: int, length: int, cmd: int | None, cmd_name: str | None) -> tuple[str, str]:
    """The JSON text between "timestamp" and "seq", and between "pid" and "attrs"."""
    head = dumps({"role": role, "protocol": protocol, "family": family, "family_source": family_source,
                  "nl_type": nl_type, "flags": flag_names(flags)})
    rest = dumps({"length": length, "cmd": cmd, "cmd_name": cmd_name})
    return "," + head[1:-1] + ',"seq":', "," + rest[1:-1] + ',"attrs":'


def _default(o: Any) -> Any:
    if isinstance(o, (bytes, bytearray, memoryview)):
        return bytes(o).hex()
    if hasattr(o, "as_json"):
        return o.as_json()
    return str(o)


_RENDERED = SharedRenderings()

# Compact JSON text of any value.  One encoder for every call: json.dumps()
# with options builds a new encoder each time.
dumps: Callable[[Any], str] = json.JSONEncoder(separators=(",", ":"), default=_default).encode

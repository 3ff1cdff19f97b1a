"""The fields a filter tests and ``-e`` prints: one table, name -> what it reads from a message.

Each field returns every occurrence it finds (a message may carry two
MACs, or none); a comparison holds when any occurrence satisfies it, and an
absent field makes every comparison false, as in tshark.  ``attr.NAME``
reaches any attribute by its name (``attr.BSS.BSSID`` one nested inside
another); the names are checked against the generated tables.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..dot11.frames import Frame
from ..netlink import enums as nl_enums
from ..netlink.core import flag_names
from ..netlink.message import Attr, Message
from ..nl80211 import enums as nl80211_enums
from ..sae.body import SaeBody
from ..sequence.verdicts import VERDICTS
from ..wire import ieee80211


@dataclass(frozen=True, slots=True)
class Named:
    """An enumerated value: compares equal to its name (any case) or its number."""

    name: str
    number: int | None

    def __str__(self) -> str:
        return self.name


class Context:
    """What a field may need beyond the message: the capture's first time, the previous message, attempts."""

    __slots__ = ("t0", "prev", "attempts")

    def __init__(self, attempts: Any = None) -> None:
        self.t0: float | None = None
        self.prev: float | None = None
        self.attempts = attempts  # an AttemptIndex when the filter or the fields ask for attempts

    def advance(self, msg: Message) -> None:
        """Call after the message has been tested and printed: it becomes the previous one."""
        self.prev = msg.timestamp


Getter = Callable[[Message, Context], list[Any]]


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # int, float, bool, str, name (any-case word), enum (checked names), mac, attr
    help: str
    get: Getter
    names: frozenset[str] = field(default_factory=frozenset)  # the accepted value names of an enum
    needs_attempts: bool = False


def _one(value: Any) -> list[Any]:
    return [] if value is None else [value]


def _attrs(name: str) -> Getter:
    def get(msg: Message, ctx: Context) -> list[Any]:
        return [a for a in msg.walk() if a.name == name]
    return get


def _top_value(name: str) -> Getter:
    def get(msg: Message, ctx: Context) -> list[Any]:
        return [a.value for a in msg.attrs if a.name == name and a.value is not None]
    return get


def _named_attr(name: str) -> Getter:
    """A top-level attribute whose text names its number: STATUS_CODE 'SUCCESS (0)' -> Named('SUCCESS', 0)."""
    def get(msg: Message, ctx: Context) -> list[Any]:
        return [Named(text_name(a.text), a.value) if a.text and isinstance(a.value, int) else a.value
                for a in msg.attrs if a.name == name and a.value is not None]
    return get


def text_name(text: str | None) -> str:
    """'SAE (4)' -> 'SAE'; a text without a number is kept whole."""
    if not text:
        return ""
    head, sep, tail = text.rpartition(" (")
    return head if sep and tail.endswith(")") else text


def _ifindex(msg: Message, ctx: Context) -> list[Any]:
    idx = msg.value("IFINDEX")
    if idx is None:
        idx = msg.header_extra.get("ifindex")
    return _one(idx)


def _mac(name: str) -> Getter:
    def get(msg: Message, ctx: Context) -> list[Any]:
        return [a.value.lower() for a in msg.attrs if a.name == name and isinstance(a.value, str)]
    return get


def decoded_payloads(msg: Message) -> Iterator[Any]:
    """What the 802.11/SAE layer made of the message's payload attributes (frames, SAE bodies, EAPoL)."""
    attrs: Iterable[Attr] = msg.payloads if msg.payloads is not None else msg.walk()
    for a in attrs:
        if a.decoded is not None:
            yield a.decoded
    if msg.eapol is not None:
        yield msg.eapol


def _frames(msg: Message) -> list[Frame]:
    return [d for d in decoded_payloads(msg) if isinstance(d, Frame)]


def _sae_bodies(msg: Message) -> list[SaeBody]:
    out = []
    for d in decoded_payloads(msg):
        body = d if isinstance(d, SaeBody) else getattr(d, "sae", None)
        if isinstance(body, SaeBody):
            out.append(body)
    return out


def _sae(read: Callable[[SaeBody], Any]) -> Getter:
    def get(msg: Message, ctx: Context) -> list[Any]:
        return [v for b in _sae_bodies(msg) if (v := read(b)) is not None]
    return get


def _frame(read: Callable[[Frame], Any]) -> Getter:
    def get(msg: Message, ctx: Context) -> list[Any]:
        return [v for f in _frames(msg) if (v := read(f)) is not None]
    return get


def _frame_number(key: str) -> Callable[[Frame], Any]:
    def read(f: Frame) -> Any:
        number = f.numbers.get(key)
        if number is None:
            return None
        return Named(text_name(str(f.fields.get(key, number))), number) if isinstance(number, int) else number
    return read


def _frame_addr(role: str) -> Callable[[Frame], Any]:
    def read(f: Frame) -> Any:
        mac = f.addr(role)
        return mac.lower() if mac else None
    return read


def _eapol_message(msg: Message, ctx: Context) -> list[Any]:
    return [d.handshake for d in decoded_payloads(msg) if getattr(d, "handshake", None)]


def _hex(b: bytes | None) -> str | None:
    return None if b is None else b.hex()


def _time(msg: Message, ctx: Context) -> list[Any]:
    return [msg.timestamp - (msg.timestamp if ctx.t0 is None else ctx.t0)]


def _delta(msg: Message, ctx: Context) -> list[Any]:
    return [0.0 if ctx.prev is None else msg.timestamp - ctx.prev]


def _cmd(msg: Message, ctx: Context) -> list[Any]:
    name = msg.cmd_name or msg.type_name
    return [Named(name, msg.cmd)] if name else []


def _errno(msg: Message, ctx: Context) -> list[Any]:
    e = msg.error
    return [] if e is None else [Named(e.errno_name, e.errno)]


def _notes(msg: Message, ctx: Context) -> list[Any]:
    return list(msg.notes) + [a.note for a in msg.walk() if a.note]


def _attempts(msg: Message, ctx: Context) -> list[Any]:
    return [] if ctx.attempts is None else sorted(ctx.attempts.of(msg))


def _verdicts(msg: Message, ctx: Context) -> list[Any]:
    return [] if ctx.attempts is None else sorted(ctx.attempts.verdicts_of(msg))


def _attr(name: str, get: Callable[[Message], Any]) -> Getter:
    def read(msg: Message, ctx: Context) -> list[Any]:
        return _one(get(msg))
    return read


ROLES = frozenset({"request", "reply", "ack", "error", "event", "done", "eapol", "unknown"})
COMMAND_NAMES = frozenset({*nl80211_enums.COMMANDS.values(), *nl_enums.CTRL_CMDS.values(),
                           *nl_enums.RTM_TYPES.values(), *nl_enums.NLMSG_TYPES.values(), "EAPOL"})
SUBTYPES = frozenset(n for table in ieee80211.FRAME_SUBTYPES.values() for n in table.values())
VERDICT_IDS = frozenset(v.id for v in VERDICTS) | {"incomplete", "undecided"}

_FIELDS = [
    Field("index", "int", "the message number (as the timeline, ladders and claims show it)",
          _attr("index", lambda m: m.index)),
    Field("record", "int", "the record (packet) number, as tshark counts frames", _attr("record", lambda m: m.record)),
    Field("time", "float", "seconds since the first message", _time),
    Field("time_epoch", "float", "seconds since the epoch", _attr("time_epoch", lambda m: m.timestamp)),
    Field("time_delta", "float", "seconds since the previous message", _delta),
    Field("role", "enum", "request, reply, ack, error, event, done or eapol", _attr("role", lambda m: m.role),
          ROLES),
    Field("family", "name", "nl80211, nlctrl, rtnetlink, ...", _attr("family", lambda m: m.family)),
    Field("family_id", "int", "the generic-netlink id", _attr("family_id", lambda m: m.family_id)),
    Field("protocol", "name", "generic, route or eapol", _attr("protocol", lambda m: m.protocol)),
    Field("cmd", "enum", "the command by name (FRAME) or number (59); an ACK/error has its request's", _cmd,
          COMMAND_NAMES),
    Field("seq", "int", "the netlink sequence number", _attr("seq", lambda m: m.seq)),
    Field("pid", "int", "the netlink port id", _attr("pid", lambda m: m.pid)),
    Field("length", "int", "the netlink message length", _attr("length", lambda m: m.length)),
    Field("nl_type", "int", "the netlink message type", _attr("nl_type", lambda m: m.nl_type)),
    Field("flags", "name", "netlink flags by name (request, ack, dump...)",
          lambda m, c: flag_names(m.flags) if m.protocol != "eapol" else []),
    Field("malformed", "bool", "the message or an attribute could not be decoded",
          _attr("malformed", lambda m: m.malformed)),
    Field("duplicate", "bool", "a copy of an earlier multicast event",
          _attr("duplicate", lambda m: m.duplicate_of is not None)),
    Field("duplicate_of", "int", "the number of the earlier copy", _attr("duplicate_of", lambda m: m.duplicate_of)),
    Field("reply_to", "int", "the number of the request this message answers",
          _attr("reply_to", lambda m: m.reply_to)),
    Field("errno", "name", "an error's errno by number (-52) or name (EBADE); 0 for an ACK", _errno),
    Field("ifindex", "int", "the interface (IFINDEX, or rtnetlink's ifindex)", _ifindex),
    Field("mac", "mac", "the MAC attribute", _mac("MAC")),
    Field("bssid", "mac", "the BSSID attribute", _mac("BSSID")),
    Field("ssid", "str", "the SSID attribute", _top_value("SSID")),
    Field("freq", "int", "WIPHY_FREQ in MHz", _top_value("WIPHY_FREQ")),
    Field("status", "name", "STATUS_CODE by number or name", _named_attr("STATUS_CODE")),
    Field("reason", "name", "REASON_CODE by number or name", _named_attr("REASON_CODE")),
    Field("note", "str", "a note on the message or an attribute (use contains)", _notes),
    Field("sae.message", "enum", "commit or confirm", _sae(lambda b: b.message), frozenset({"commit", "confirm"})),
    Field("sae.status", "name", "the SAE status by number or name", _sae(lambda b: Named(b.status_name, b.status))),
    Field("sae.group", "int", "the SAE group (19, 20, 21)", _sae(lambda b: b.group)),
    Field("sae.token", "str", "the anti-clogging token in hex", _sae(lambda b: _hex(b.token))),
    Field("sae.password_id", "str", "the password identifier", _sae(lambda b: b.password_id)),
    Field("sae.send_confirm", "int", "the confirm's send-confirm counter", _sae(lambda b: b.send_confirm)),
    Field("sae.scalar", "str", "the commit scalar in hex", _sae(lambda b: _hex(b.scalar))),
    Field("sae.element", "str", "the commit element in hex", _sae(lambda b: _hex(b.element))),
    Field("sae.confirm", "str", "the confirm value in hex", _sae(lambda b: _hex(b.confirm))),
    Field("frame.type", "name", "MGMT, CTRL or DATA", _frame(lambda f: f.type_name or None)),
    Field("frame.subtype", "enum", "AUTH, ASSOC_REQ, DEAUTH, ACTION...", _frame(lambda f: f.subtype_name or None),
          SUBTYPES),
    *(Field(f"frame.{role.lower()}", "mac", f"the frame's {role} address", _frame(_frame_addr(role)))
      for role in ("SA", "DA", "BSSID", "TA", "RA")),
    *(Field(f"frame.{key}", "name", f"the frame's {key} field", _frame(_frame_number(key)))
      for key in ("algorithm", "transaction", "status", "reason")),
    Field("frame.seq", "int", "the frame's sequence number", _frame(lambda f: f.seq)),
    Field("eapol.message", "str", '"4-way message 1".."4-way message 4", "group key message 1"...',
          _eapol_message),
    Field("attempt", "int", "the connection attempts the message belongs to (see the user guide)", _attempts,
          needs_attempts=True),
    Field("verdict", "enum", "the verdicts of the attempts the message belongs to", _verdicts, VERDICT_IDS,
          needs_attempts=True),
]
FIELDS: dict[str, Field] = {f.name: f for f in _FIELDS}


def _attribute_names() -> frozenset[str]:
    """Every attribute name a decoded message can carry: nl80211's sets, nlctrl's and rtnetlink's."""
    names = set(nl80211_enums.ATTRS.values())
    for enum, table in nl80211_enums.ENUMS.items():
        if enum.endswith(("_attrs", "_attr", "_attributes", "_info", "_params", "_plan", "_bss", "_sta_flags")) \
                or enum.startswith(("nl80211_sta_", "nl80211_band_", "nl80211_key_", "nl80211_rate_")):
            names.update(table.values())
    netlink_tables: tuple[dict[int, tuple[str, str]], ...] = (
        nl_enums.IFLA_ATTRS, nl_enums.IFA_ATTRS, nl_enums.CTRL_ATTRS, nl_enums.CTRL_OP_ATTRS, nl_enums.CTRL_MCAST_ATTRS)
    for netlink_table in netlink_tables:
        names.update(name for name, _kind in netlink_table.values())
    return frozenset(names)


ATTRIBUTE_NAMES = _attribute_names()


def attr_field(path: str) -> Field:
    """``attr.STATUS_CODE`` (anywhere in the message) or ``attr.BSS.BSSID`` (BSSID inside BSS)."""
    names = path.split(".")
    if len(names) == 1:
        return Field(f"attr.{path}", "attr", f"the {path} attribute", _attrs(path))

    def get(msg: Message, ctx: Context) -> list[Any]:
        level: list[Attr] = [a for a in msg.walk() if a.name == names[0]]
        for name in names[1:]:
            level = [c for a in level for c in (a.children or ()) if c.name == name]
        return level
    return Field(f"attr.{path}", "attr", f"the {names[-1]} attribute inside {'.'.join(names[:-1])}", get)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """'; did you mean X?' for the closest choice, or ''."""
    pool = list(choices)
    folded = {c.casefold(): c for c in pool}
    if word.casefold() in folded:
        return f"; did you mean {folded[word.casefold()]}?"
    close = difflib.get_close_matches(word.upper(), [c.upper() for c in pool], n=1, cutoff=0.6)
    if not close:
        return ""
    original = next(c for c in pool if c.upper() == close[0])
    return f"; did you mean {original}?"


class UnknownName(LookupError):
    """A field or attribute name the tables do not know, with the closest one."""


def lookup(name: str) -> Field:
    """The field called ``name``; :class:`UnknownName` with a suggestion otherwise."""
    found = FIELDS.get(name)
    if found is not None:
        return found
    if name.startswith("attr."):
        path = name[len("attr."):]
        bad = [n for n in path.split(".") if n not in ATTRIBUTE_NAMES]
        if not path or bad:
            what = bad[0] if bad else ""
            raise UnknownName(f"unknown attribute {what!r}" + did_you_mean(what, ATTRIBUTE_NAMES))
        return attr_field(path)
    if name.upper() in ATTRIBUTE_NAMES:
        raise UnknownName(f"unknown field {name!r}; did you mean attr.{name.upper()}?")
    raise UnknownName(f"unknown field {name!r}" + (did_you_mean(name, FIELDS) or
                                                   "; fields: " + ", ".join(FIELDS) + ", attr.NAME"))

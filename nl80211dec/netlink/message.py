"""The decoded objects every layer above fills in and every renderer reads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


class Attr:
    """One netlink attribute: number, name, type, value and its raw bytes.

    ``decoded`` holds what a higher layer made of the payload (an 802.11
    frame, elements, an SAE body, an EAPoL frame); ``problem`` says why the
    attribute is malformed, in which case ``value`` may be None.
    """

    __slots__ = ("num", "name", "kind", "value", "text", "raw", "_children", "lazy", "decoded", "problem", "note")

    def __init__(self, num: int, name: str, kind: str, raw: bytes, value: Any = None, text: str | None = None,
                 children: list[Attr] | None = None, problem: str | None = None, note: str | None = None) -> None:
        self.num = num
        self.name = name
        self.kind = kind
        self.raw = raw
        self.value = value
        self.text = text
        self._children = children
        # (function, *arguments) that decodes the children on first access: a nested set nobody reads
        # (most of a wiphy dump, for --sae) is never built; its problems were counted when it was deferred
        self.lazy: tuple[Any, ...] | None = None
        self.decoded: Any = None
        self.problem = problem
        self.note = note

    @property
    def children(self) -> list[Attr] | None:
        """The nested attributes (None for a leaf), decoded now if the decoder deferred them."""
        kids = self._children
        if kids is None and self.lazy is not None:
            fn, *args = self.lazy
            kids = self._children = fn(*args)
            self.lazy = None
        return kids

    @children.setter
    def children(self, value: list[Attr] | None) -> None:
        self._children = value
        self.lazy = None

    def __repr__(self) -> str:
        shown = self.text if self.text is not None else self.value
        if self.children is not None and shown is None:
            shown = f"[{len(self.children)} attrs]"
        return f"<Attr {self.name}({self.num}) {self.kind}={shown!r}{' MALFORMED' if self.problem else ''}>"

    def __getitem__(self, name: str) -> Attr:
        found = self.get(name)
        if found is None:
            raise KeyError(name)
        return found

    def get(self, name: str) -> Attr | None:
        """The first child attribute called ``name`` (nested attributes only)."""
        for child in self.children or ():
            if child.name == name:
                return child
        return None

    def walk(self) -> Iterator[Attr]:
        stack = [self]
        while stack:
            a = stack.pop()
            yield a
            if a.children:
                stack.extend(reversed(a.children))


class NetlinkError:
    """The body of an NLMSG_ERROR: errno (0 = ACK), echoed header, extended ACK."""

    __slots__ = ("errno", "errno_name", "echo_type", "echo_flags", "echo_seq", "echo_pid", "echo_cmd",
                 "ext_msg", "ext_offset", "ext_attrs")

    def __init__(self, errno: int, errno_name: str) -> None:
        self.errno = errno
        self.errno_name = errno_name
        self.echo_type: int | None = None
        self.echo_flags: int | None = None
        self.echo_seq: int | None = None
        self.echo_pid: int | None = None
        self.echo_cmd: int | None = None
        self.ext_msg: str | None = None
        self.ext_offset: int | None = None
        self.ext_attrs: list[Attr] = []


class Message:
    """One netlink message (or one EAPoL frame iwmon recorded on its own)."""

    __slots__ = ("index", "record", "timestamp", "protocol", "family", "family_id", "family_source",
                 "nl_type", "type_name", "flags", "seq", "pid", "length", "role", "cmd", "cmd_name",
                 "version", "attrs", "error", "problem", "notes", "reply_to", "duplicate_of", "raw",
                 "header_extra", "eapol", "order", "payloads", "attr_problems", "shared", "line")

    def __init__(self, index: int, record: int, timestamp: float, protocol: str, raw: bytes) -> None:
        self.index = index
        self.record = record
        self.timestamp = timestamp
        self.protocol = protocol  # generic / route / eapol / netlink-N
        self.raw = raw
        self.family: str | None = None
        self.family_id: int | None = None
        self.family_source: str | None = None  # nlctrl / option / assumed / later-nlctrl
        self.nl_type = 0
        self.type_name = ""
        self.flags = 0
        self.seq = 0
        self.pid = 0
        self.length = len(raw)
        self.role = "unknown"
        self.cmd: int | None = None
        self.cmd_name = ""
        self.version: int | None = None
        self.attrs: list[Attr] = []
        self.error: NetlinkError | None = None
        self.problem: str | None = None
        self.notes: list[str] = []
        self.reply_to: int | None = None
        self.duplicate_of: int | None = None
        self.header_extra: dict[str, Any] = {}
        self.eapol: Any = None
        self.order = "<"
        self.payloads: list[Attr] | None = None  # frame/IE/SAE attributes, when the decoder collected them
        self.attr_problems: int | None = None  # malformed attributes, when the decoder counted them
        self.shared: Any = None  # the decode memo's entry when ``attrs`` is shared with an identical payload
        self.line: int | None = None  # the text log line the message was rebuilt from (text inputs only)

    def __repr__(self) -> str:
        what = self.cmd_name or self.type_name
        fam = self.family or self.protocol
        return (f"<Message #{self.index} {self.role} {fam} {what} seq={self.seq} "
                f"attrs={len(self.attrs)}{' MALFORMED' if self.problem else ''}>")

    @property
    def malformed(self) -> bool:
        """True when the message, or any attribute in it, could not be decoded."""
        if self.problem is not None:
            return True
        if self.attr_problems is not None:
            return self.attr_problems > 0
        return any(a.problem for a in self.walk())

    def get(self, name: str) -> Attr | None:
        """The first top-level attribute called ``name`` (e.g. ``'IFINDEX'``)."""
        for a in self.attrs:
            if a.name == name:
                return a
        return None

    def __getitem__(self, name: str) -> Attr:
        found = self.get(name)
        if found is None:
            raise KeyError(name)
        return found

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None

    def value(self, name: str, default: Any = None) -> Any:
        """The value of top-level attribute ``name``, or ``default``."""
        a = self.get(name)
        return default if a is None else a.value

    def walk(self) -> Iterator[Attr]:
        """Every attribute, depth first (iterative: nesting depth costs nothing)."""
        stack = list(reversed(self.attrs))
        while stack:
            a = stack.pop()
            yield a
            if a.children:
                stack.extend(reversed(a.children))

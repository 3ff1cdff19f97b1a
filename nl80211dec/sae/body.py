"""SAE commit, confirm and rejection bodies (IEEE 802.11-2020 9.3.3.12, 12.4).

A body's layout depends on its transaction number, its status code and the
group of the exchange; the confirm's length and an anti-clogging token's
length come from earlier frames, which :class:`~.context.SaeContext` carries.
Findings are the sanity checks no other tool makes (scalar range, point on the
curve...); they never stop decoding.
"""

from __future__ import annotations

import struct
from typing import Any

from ..dot11.elements import Element, decode_elements
from ..errors import DecodeError
from ..wire import ieee80211 as dot11_enums
from ..wire.text import escape_str
from .context import SaeContext, SaeTracker
from .groups import GROUPS, Group, on_curve

_CODE = {name: code for code, name in dot11_enums.STATUS_CODES.items()}  # the generated table, by name
STATUS_SUCCESS = _CODE["SUCCESS"]
STATUS_ANTI_CLOGGING = _CODE["ANTI_CLOG_REQUIRED"]  # 76: send the commit again with this token
STATUS_UNSUPPORTED_GROUP = _CODE["UNSUPPORTED_FINITE_CYCLIC_GROUP"]  # 77: try another group
STATUS_H2E = _CODE["SAE_HASH_TO_ELEMENT"]  # 126: a commit whose PWE was derived by hash-to-element
STATUS_SAE_PK = _CODE["SAE_PK"]  # 127
COMMIT_STATUSES = (STATUS_SUCCESS, STATUS_H2E, STATUS_SAE_PK)

EXT_PASSWORD_ID = 33
EXT_REJECTED_GROUPS = 92
EXT_TOKEN_CONTAINER = 93
SAE_ELEMENTS = (EXT_PASSWORD_ID, EXT_REJECTED_GROUPS, EXT_TOKEN_CONTAINER)  # what may follow an SAE body


class SaeBody:
    """A decoded SAE body; fields not present stay None."""

    __slots__ = ("seq", "status", "message", "group", "token", "scalar", "element", "password_id",
                 "rejected_groups", "send_confirm", "confirm", "findings", "problem", "extra", "on_air")

    def __init__(self, seq: int, status: int) -> None:
        self.seq = seq
        self.status = status
        self.message = "commit" if seq == 1 else "confirm" if seq == 2 else f"transaction {seq}"
        self.group: int | None = None
        self.token: bytes | None = None
        self.scalar: bytes | None = None
        self.element: bytes | None = None
        self.password_id: str | None = None
        self.rejected_groups: list[int] | None = None
        self.send_confirm: int | None = None
        self.confirm: bytes | None = None
        self.findings: list[str] = []
        self.problem: str | None = None
        self.extra: bytes | None = None
        self.on_air: list[dict[str, Any]] | None = None  # filled by an over-the-air join

    @property
    def status_name(self) -> str:
        return dot11_enums.STATUS_CODES.get(self.status, f"STATUS_{self.status}")

    def __repr__(self) -> str:
        return f"<SAE {self.message} status={self.status} group={self.group}>"

    def as_dict(self) -> dict[str, Any]:
        def hx(b: bytes | None) -> str | None:
            return None if b is None else b.hex()

        d: dict[str, Any] = {
            "message": self.message, "seq": self.seq, "status": self.status, "status_name": self.status_name,
            "group": self.group, "token": hx(self.token), "scalar": hx(self.scalar), "element": hx(self.element),
            "password_id": self.password_id, "rejected_groups": self.rejected_groups,
            "send_confirm": self.send_confirm, "confirm": hx(self.confirm), "findings": list(self.findings),
        }
        if self.problem:
            d["problem"] = self.problem
        if self.extra:
            d["extra"] = self.extra.hex()
        if self.on_air is not None:
            d["on_air"] = self.on_air
        return d

    def as_json(self) -> dict[str, Any]:
        return {"sae": self.as_dict()}

    def text_lines(self, indent: str) -> list[str]:
        head = f"{indent}SAE {self.message}, status {self.status_name} ({self.status})"
        if self.group is not None:
            g = GROUPS.get(self.group)
            head += f", group {self.group}" + (f" ({g.name})" if g else " (unknown)")
        lines = [head]
        sub = indent + "    "
        for label, value in (("anti-clogging token", self.token), ("scalar", self.scalar),
                             ("element", self.element), ("confirm", self.confirm), ("extra bytes", self.extra)):
            if value is not None:
                lines.append(f"{sub}{label} ({len(value)}): {value.hex()}")
        if self.send_confirm is not None:
            lines.append(f"{sub}send-confirm: {self.send_confirm}")
        if self.password_id is not None:
            lines.append(f"{sub}password identifier: {escape_str(self.password_id)}")
        if self.rejected_groups is not None:
            lines.append(f"{sub}rejected groups: {', '.join(map(str, self.rejected_groups))}")
        if self.problem:
            lines.append(f"{sub}MALFORMED: {self.problem}")
        lines.extend(f"{sub}! {f}" for f in self.findings)
        if self.on_air is not None:
            seen = ", ".join(f"+{x.get('offset_ms', 0):.1f} ms {'ACKed' if x.get('acked') else 'no ACK'}"
                             for x in self.on_air)
            lines.append(f"{sub}on air: {seen or 'NOT SEEN'}")
        return lines


def sae_in(decoded: Any) -> SaeBody | None:
    """The SAE body a decoded payload holds: itself (AUTH_DATA) or a frame's, else None."""
    if decoded is None or isinstance(decoded, SaeBody):
        return decoded
    return getattr(decoded, "sae", None)


def _sae_elements(data: bytes) -> list[Element] | None:
    """Trailing SAE extension elements, by the one element walker; None if the bytes are not only those."""
    elements, stopped = decode_elements(data)
    if stopped is not None or any(e.eid != 255 or e.ext not in SAE_ELEMENTS for e in elements):
        return None
    return elements


def _apply_elements(body: SaeBody, elements: list[Element]) -> None:
    for e in elements:
        if e.ext == EXT_PASSWORD_ID:
            body.password_id = e.fields["identifier"]
        elif e.ext == EXT_REJECTED_GROUPS:
            if e.problem is not None:
                body.findings.append("rejected-groups element has an odd length")
            body.rejected_groups = e.fields["groups"]
        elif e.ext == EXT_TOKEN_CONTAINER:
            body.token = e.data


def _check_scalar(body: SaeBody, group: Group) -> None:
    s = int.from_bytes(body.scalar or b"", "big")
    order = group.curve.n if group.curve else group.order
    if order is None:
        return
    if not 1 < s < order:
        body.findings.append(f"scalar out of range: must be 1 < s < r for group {group.number}")


def _check_element(body: SaeBody, group: Group) -> None:
    e = body.element or b""
    if group.curve is not None:
        half = len(e) // 2
        x, y = int.from_bytes(e[:half], "big"), int.from_bytes(e[half:], "big")
        if not on_curve(group.curve, x, y):
            body.findings.append(f"element is not a point on the curve of group {group.number} ({group.name})")
    elif group.prime is not None:
        v = int.from_bytes(e, "big")
        if not 1 < v < group.prime - 1:
            body.findings.append(f"FFC element out of range for group {group.number}")


def decode_sae(seq: int, status: int, data: bytes, ctx: SaeContext | None = None) -> SaeBody:
    """Decode the SAE body that follows algorithm/transaction/status.

    ``data`` starts right after the status code. Raises nothing but
    :class:`DecodeError` (and only for an impossible transaction number).
    """
    if not 0 <= seq <= 0xFFFF:
        raise DecodeError(f"SAE transaction {seq} is not a 16-bit number", layer="sae")
    body = SaeBody(seq, status)
    ctx = ctx if ctx is not None else SaeContext()
    if seq == 1:
        _commit(body, status, data, ctx)
    elif seq == 2:
        _confirm(body, status, data, ctx)
    else:
        body.problem = f"SAE has no transaction {seq}"
        body.extra = data or None
    return body


class SaeAuthDecoder:
    """The SAE layer's hook into the 802.11 frame decoder (``decode_frame(raw, sae=...)``).

    It keeps each pair of stations' exchange context, so a confirm is read
    with the group and H2E choice of the commits before it.
    """

    __slots__ = ("tracker",)

    def __init__(self, tracker: SaeTracker | None = None) -> None:
        self.tracker = tracker if tracker is not None else SaeTracker()

    def __call__(self, addr1: str, addr2: str, seq: int, status: int, data: bytes) -> SaeBody:
        return decode_sae(seq, status, data, self.tracker.get(addr1, addr2))


def _commit(body: SaeBody, status: int, data: bytes, ctx: SaeContext) -> None:
    if status not in COMMIT_STATUSES + (STATUS_ANTI_CLOGGING, STATUS_UNSUPPORTED_GROUP):
        body.message = "reject"
        if data:
            body.findings.append(f"a commit with status {status} carries no body; {len(data)} bytes follow")
            body.extra = data
        return
    if len(data) < 2:
        body.problem = f"commit of {len(data)} bytes has no group"
        body.message = "reject" if status not in COMMIT_STATUSES else "commit"
        return
    (body.group,) = struct.unpack_from("<H", data)
    rest = data[2:]
    if status == STATUS_UNSUPPORTED_GROUP:
        body.message = "reject"
        if rest:
            body.extra = rest
            body.findings.append(f"{len(rest)} unexpected bytes after the rejected group")
        return
    if status == STATUS_ANTI_CLOGGING:
        body.message = "reject"
        elements = _sae_elements(rest) if ctx.h2e else None
        if elements:
            _apply_elements(body, elements)
        else:
            body.token = rest
        if not body.token:
            body.findings.append("anti-clogging request without a token")
        ctx.token = body.token
        return
    group = GROUPS.get(body.group)
    if status == STATUS_H2E:
        ctx.h2e = True
    if group is None:
        body.findings.append(f"group {body.group} is not a known SAE group; scalar and element not split")
        body.extra = rest or None
        ctx.group = body.group
        return
    ctx.group = body.group
    need = group.order_len + group.element_len
    if len(rest) < need:
        body.problem = (f"commit body of {len(rest)} octets after the group is too short for group "
                        f"{group.number}: scalar {group.order_len} + element {group.element_len} octets")
        body.extra = rest
        return
    extra = len(rest) - need
    token_len = _token_len(rest, need, extra, status, ctx)
    if token_len:
        body.token = rest[:token_len]
    body.scalar = rest[token_len:token_len + group.order_len]
    body.element = rest[token_len + group.order_len:token_len + need]
    tail = rest[token_len + need:]
    if tail:
        elements = _sae_elements(tail)
        if elements is None:
            body.extra = tail
            body.findings.append(f"{len(tail)} octets after the element are not SAE elements")
        else:
            _apply_elements(body, elements)
    _check_scalar(body, group)
    _check_element(body, group)


def _token_len(rest: bytes, need: int, extra: int, status: int, ctx: SaeContext) -> int:
    """How many octets before the scalar are an anti-clogging token.

    With hash-to-element the token lives in a container element instead. A
    token the AP asked for earlier fixes the length; otherwise the layout
    whose tail parses as SAE elements wins.
    """
    if extra == 0 or status != STATUS_SUCCESS:
        return 0
    candidates = []
    if ctx.token is not None and len(ctx.token) <= extra:
        candidates.append(len(ctx.token))
    candidates += [0, extra]
    for n in candidates:
        tail = rest[n + need:]
        if not tail or _sae_elements(tail) is not None:
            return n
    return 0


def _confirm(body: SaeBody, status: int, data: bytes, ctx: SaeContext) -> None:
    if status != STATUS_SUCCESS:
        body.message = "reject"
        if data:
            body.extra = data
            body.findings.append(f"a confirm with status {status} carries no body; {len(data)} bytes follow")
        return
    if len(data) < 2:
        body.problem = f"confirm of {len(data)} bytes has no send-confirm counter"
        return
    (body.send_confirm,) = struct.unpack_from("<H", data)
    body.confirm = data[2:]
    group = GROUPS.get(ctx.group) if ctx.group is not None else None
    if group is not None:
        want = group.hash_len(ctx.h2e)
        if len(body.confirm) != want:
            body.findings.append(f"confirm of {len(body.confirm)} octets; group {group.number}"
                                 f"{' with H2E' if ctx.h2e else ''} expects {want}")
    elif not body.confirm:
        body.problem = "confirm has no confirm value"

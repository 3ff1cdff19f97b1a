"""802.11 frames: header, addresses by role, and management bodies.

The fixed fields of each management body are derived from its Construct
schema (:data:`.schemas.MGMT_BODIES`) into one table (:data:`BODY_FIELDS`)
read by one loop; how each field reads is a kind keyed by its name
(:data:`FIELD_KINDS`).  Only Authentication (SAE) and Action need code of
their own.  A short or odd frame is flagged, not fatal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from construct import Struct

from ..wire import ieee80211 as enums
from ..wire.layout import Field, fixed_layout
from ..wire.text import format_mac, named
from .elements import ElementList
from .schemas import MGMT_BODIES, MgmtHeader

FLAG_NAMES = ["to_ds", "from_ds", "more_frag", "retry", "power_mgmt", "more_data", "protected", "order"]
ZERO_MAC = "00:00:00:00:00:00"

# Decodes an SAE Authentication body: (addr1, addr2, transaction, status, body) -> the decoded body.
# The SAE layer above provides it (it keeps each exchange's context); without one the body stays bytes.
AuthBodyDecoder = Callable[[str, str, int, int, bytes], Any]

# the header fields every frame type has at the same place (the addresses depend on the type: _addresses)
_FC, _DURATION, _SEQ_CTRL = (fixed_layout(MgmtHeader).field(n) for n in ("frame_control", "duration", "seq_ctrl"))

ACTION = 13  # its category decides how the action code reads: decoded by _action, not the table

# schema field name -> how users read it (a field missing here fails at import)
FIELD_KINDS = {
    "capability": "cap", "listen_interval": "int", "current_ap": "mac", "status": "status", "aid": "aid",
    "timestamp": "int", "beacon_interval": "int", "reason": "reason", "algorithm": "auth_alg",
    "transaction": "int",
}


def _capability(value: int) -> str:
    names = [n for bit, n in enums.CAPABILITY_BITS.items() if value & bit]
    return f"{value:#06x}" + (f" ({','.join(names)})" if names else "")


Renderer = Callable[[Any], Any]
RENDER: dict[str, Renderer] = {  # kind -> how a value reads
    "status": lambda v: named(v, enums.STATUS_CODES),
    "reason": lambda v: named(v, enums.REASON_CODES),
    "auth_alg": lambda v: named(v, enums.AUTH_ALGORITHMS),
    "cap": _capability,
    "aid": lambda v: v & 0x3FFF,
    "mac": format_mac,
    "int": lambda v: v,
}

BodyFields = dict[int, tuple[tuple[tuple[Field, Renderer], ...], int]]


def body_fields(bodies: dict[int, Struct]) -> BodyFields:
    """subtype -> (each fixed field with its renderer, where the elements start), from the body schemas."""
    layouts = {sub: fixed_layout(schema) for sub, schema in bodies.items() if sub != ACTION}
    return {sub: (tuple((f, RENDER[FIELD_KINDS[f.name]]) for f in layout.fields), layout.size)
            for sub, layout in layouts.items()}


BODY_FIELDS = body_fields(MGMT_BODIES)

ACTION_TABLES = {
    3: None, 4: enums.PUBLIC_ACTIONS, 5: enums.RADIO_MEASUREMENT_ACTIONS, 0: enums.SPECTRUM_MGMT_ACTIONS,
    8: enums.SA_QUERY_ACTIONS, 10: enums.WNM_ACTIONS, 11: enums.UNPROTECTED_WNM_ACTIONS, 12: enums.TDLS_ACTIONS,
    15: enums.SELF_PROTECTED_ACTIONS,
}


def address(addrs: Iterable[tuple[str, str]], role: str) -> str | None:
    """The address a frame gives ``role`` (DA, SA, BSSID, RA, TA), or None."""
    for r, mac in addrs:
        if r == role:
            return mac
    return None


class Frame:
    """A decoded 802.11 frame."""

    __slots__ = ("raw", "fc", "ftype", "subtype", "type_name", "subtype_name", "flags", "duration", "addrs",
                 "seq", "frag", "fields", "numbers", "elements", "sae", "findings", "problem", "body", "on_air")

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.fc = 0
        self.ftype = self.subtype = 0
        self.type_name = self.subtype_name = ""
        self.flags: list[str] = []
        self.duration = 0
        self.addrs: list[tuple[str, str]] = []
        self.seq: int | None = None
        self.frag: int | None = None
        self.fields: dict[str, Any] = {}  # fixed fields as users read them ("SUCCESS (0)")
        self.numbers: dict[str, Any] = {}  # the same fields as numbers, for programs
        self.elements: ElementList | None = None
        self.sae: Any = None  # the SAE layer's decode of an SAE Authentication body
        self.findings: list[str] = []
        self.problem: str | None = None
        self.body = b""
        self.on_air: list[dict[str, Any]] | None = None  # filled by an over-the-air join

    def __repr__(self) -> str:
        return f"<Frame {self.subtype_name} {dict(self.addrs)}{' ' + repr(self.sae) if self.sae else ''}>"

    def to_scapy(self) -> Any:
        """This frame as a scapy ``Dot11`` packet (scapy is an optional dependency)."""
        try:
            from scapy.layers.dot11 import Dot11
        except ImportError:
            raise ImportError("to_scapy() needs scapy: pip install scapy") from None
        return Dot11(self.raw)

    def addr(self, role: str) -> str | None:
        return address(self.addrs, role)

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "type": self.type_name, "subtype": self.subtype_name, "frame_control": f"{self.fc:#06x}",
            "flags": self.flags, "duration": self.duration, "addresses": {r: m for r, m in self.addrs},
        }
        if self.seq is not None:
            d["seq"], d["frag"] = self.seq, self.frag
        d.update(self.fields)
        if self.elements is not None:
            d.update(self.elements.as_json())
        if self.sae is not None:
            d["sae"] = self.sae.as_dict()
        if self.findings:
            d["findings"] = list(self.findings)
        if self.problem:
            d["problem"] = self.problem
        if self.on_air is not None:
            d["on_air"] = self.on_air
        return d

    def as_json(self) -> dict[str, Any]:
        return {"frame": self.as_dict()}

    def text_lines(self, indent: str) -> list[str]:
        lines = [f"{indent}{self.type_name}/{self.subtype_name} "
                 f"fc={self.fc:#06x}{' [' + ','.join(self.flags) + ']' if self.flags else ''} "
                 f"duration {self.duration}" + (f" seq {self.seq}" if self.seq is not None else "")]
        sub = indent + "    "
        lines.append(sub + "  ".join(f"{r}={m}" for r, m in self.addrs))
        for k, v in self.fields.items():
            lines.append(f"{sub}{k}: {v}")
        if self.sae is not None:
            lines.extend(self.sae.text_lines(sub))
        if self.elements is not None:
            lines.extend(self.elements.text_lines(sub))
        if self.problem:
            lines.append(f"{sub}MALFORMED: {self.problem}")
        lines.extend(f"{sub}! {f}" for f in self.findings)
        if self.on_air is not None:
            lines.append(f"{sub}on air: " + ("; ".join(_air_text(x) for x in self.on_air) or "NOT SEEN"))
        return lines


def _air_text(x: dict[str, Any]) -> str:
    acked = {True: "ACKed", False: "no ACK", None: ""}[x.get("acked")]
    parts = [f"+{x['offset_ms']:.1f} ms" if "offset_ms" in x else f"t={x['time']}", acked,
             "retry" if x.get("retry") else "", f"{x['signal_dbm']} dBm" if x.get("signal_dbm") is not None else ""]
    return " ".join(p for p in parts if p)


def _addresses(frame: Frame, raw: bytes) -> int:
    """Fill the addresses by role; return the header length."""
    ftype, sub, fc = frame.ftype, frame.subtype, frame.fc

    def mac(off: int) -> str:
        return format_mac(raw[off:off + 6])

    if ftype == 1:  # control: ACK/CTS carry RA only
        if sub in (12, 13):
            frame.addrs = [("RA", mac(4))]
            return 10
        frame.addrs = [("RA", mac(4)), ("TA", mac(10))]
        return 16
    if ftype == 0:
        frame.addrs = [("DA", mac(4)), ("SA", mac(10)), ("BSSID", mac(16))]
        return 24
    to_from = fc >> 8 & 3
    roles = {0: ("DA", "SA", "BSSID"), 1: ("BSSID", "SA", "DA"), 2: ("DA", "BSSID", "SA"), 3: ("RA", "TA", "DA")}
    frame.addrs = [(roles[to_from][i], mac(4 + 6 * i)) for i in range(3)]
    if to_from == 3:
        frame.addrs.append(("SA", mac(24)))
        return 30
    return 24


def decode_frame(raw: bytes, sae: AuthBodyDecoder | None = None) -> Frame:
    """Decode one 802.11 frame (no FCS). Never raises on bad bytes.

    ``sae`` decodes SAE Authentication bodies (``nl80211dec.sae.body.SaeAuthDecoder``).
    """
    f = Frame(raw)
    if len(raw) < _FC.struct.size:
        f.problem = f"{len(raw)} octets: no frame control"
        return f
    (f.fc,) = _FC.struct.unpack_from(raw, _FC.offset)
    f.ftype, f.subtype = f.fc >> 2 & 3, f.fc >> 4 & 0xF
    f.type_name = enums.FRAME_TYPES.get(f.ftype, str(f.ftype))
    f.subtype_name = enums.FRAME_SUBTYPES.get(f.ftype, {}).get(f.subtype, f"SUBTYPE_{f.subtype}")
    f.flags = [n for i, n in enumerate(FLAG_NAMES) if f.fc >> (8 + i) & 1]
    if f.fc & 3:
        f.findings.append(f"protocol version {f.fc & 3} (only 0 is defined)")
    need = 10 if f.ftype == 1 and f.subtype in (12, 13) else 16 if f.ftype == 1 else 24
    if len(raw) < need:
        f.problem = f"{len(raw)} octets: shorter than the {need}-octet header"
        return f
    (f.duration,) = _DURATION.struct.unpack_from(raw, _DURATION.offset)
    hdr_len = _addresses(f, raw)
    if len(raw) < hdr_len:
        f.problem = f"{len(raw)} octets: shorter than the {hdr_len}-octet header"
        return f
    if f.ftype != 1:
        (sc,) = _SEQ_CTRL.struct.unpack_from(raw, _SEQ_CTRL.offset)
        f.seq, f.frag = sc >> 4, sc & 0xF
    f.body = raw[hdr_len:]
    if f.ftype == 0:
        _management(f, sae)
    return f


def _management(f: Frame, sae: AuthBodyDecoder | None) -> None:
    body = f.body
    if "protected" in f.flags and f.subtype in (10, 12, 13):
        f.fields["protected_body"] = f"{len(body)} octets (encrypted with the PTK; not decodable)"
        return
    fields, size = BODY_FIELDS.get(f.subtype, ((), 0))
    for field, render in fields:
        if field.offset + field.struct.size > len(body):
            f.problem = f"body ends before {field.name} ({len(body)} octets)"
            return
        (value,) = field.struct.unpack_from(body, field.offset)
        f.numbers[field.name] = value
        f.fields[field.name] = render(value)
    rest = body[size:]
    if f.subtype == 11:
        _authentication(f, rest, sae)
    elif f.subtype == ACTION:
        _action(f, rest)
    elif f.subtype in BODY_FIELDS:
        f.elements = ElementList(rest)


def _authentication(f: Frame, rest: bytes, sae: AuthBodyDecoder | None) -> None:
    n = f.numbers
    if n["algorithm"] != 3:
        f.elements = ElementList(rest) if rest else None
        return
    if sae is not None:
        f.sae = sae(f.addrs[0][1], f.addrs[1][1], n["transaction"], n["status"], rest)


def _action(f: Frame, rest: bytes) -> None:
    if len(rest) < 1:
        f.problem = "action frame without a category"
        return
    cat = rest[0]
    f.fields["category"] = named(cat, enums.ACTION_CATEGORIES)
    if len(rest) >= 2:
        table = ACTION_TABLES.get(cat)
        f.fields["action"] = named(rest[1], table) if table else rest[1]
        if cat == 8 and len(rest) >= 4:  # SA Query: transaction identifier
            f.fields["transaction_id"] = f"{rest[2]:02x}{rest[3]:02x}"
        elif len(rest) > 2:
            f.fields["action_body"] = rest[2:].hex()

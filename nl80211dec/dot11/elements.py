"""Information elements: one parser per element id, chosen from a table.

Unknown elements keep their id and bytes; a parser that runs out of bytes
flags the element, never the frame.  Names come from the generated tables.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from ..wire import ieee80211 as enums
from ..wire.suites import suite_text
from ..wire.text import escape_str, format_mac, text_of

VENDOR_TYPES = {  # (OUI, type) -> name, for vendor elements users meet
    (0x0050F2, 1): "WPA", (0x0050F2, 2): "WMM", (0x0050F2, 4): "WPS", (0x506F9A, 9): "P2P",
    (0x506F9A, 0x10): "HS20", (0x506F9A, 0x1C): "OWE transition", (0x506F9A, 0x13): "NAN",
}
OUI_NAMES = {0x0050F2: "Microsoft", 0x506F9A: "Wi-Fi Alliance", 0x001018: "Broadcom", 0x00904C: "Epigram",
             0x000FAC: "IEEE 802.11"}

RSN_CAPS = ["PREAUTH", "NO_PAIRWISE", "PTKSA_RC_LO", "PTKSA_RC_HI", "GTKSA_RC_LO", "GTKSA_RC_HI", "MFPR",
            "MFPC", "JOINT_MULTIBAND", "PEERKEY", "SPP_AMSDU_CAP", "SPP_AMSDU_REQ", "PBAC", "EXT_KEY_ID", "OCVC"]
RSNX_BITS = {4: "PROTECTED_TWT", 5: "SAE_H2E", 6: "SAE_PK", 7: "PROTECTED_WUR", 8: "SECURE_LTF", 9: "SECURE_RTT",
             10: "URNM_MFPR_X20", 11: "PROT_ANNOUNCE", 13: "KEK_IN_PASN", 15: "SSID_PROTECTION"}
EXT_CAPA_BITS = {2: "EXT_CHANNEL_SWITCHING", 12: "PROXY_ARP", 17: "WNM_SLEEP_MODE", 19: "BSS_TRANSITION",
                 22: "MULTIPLE_BSSID", 25: "SSID_LIST", 54: "SCS",
                 31: "INTERWORKING", 32: "QOS_MAP", 37: "TDLS_SUPPORT", 38: "TDLS_PROHIBITED", 46: "WNM_NOTIFICATION",
                 62: "OPMODE_NOTIF", 63: "MAX_MSDU_IN_AMSDU_LSB", 64: "MAX_MSDU_IN_AMSDU_MSB", 70: "FTM_RESPONDER",
                 71: "FTM_INITIATOR", 76: "TWT_REQUESTER", 77: "TWT_RESPONDER", 81: "SAE_PASSWORD_IDS_IN_USE",
                 82: "SAE_PASSWORD_IDS_EXCLUSIVE", 85: "BEACON_PROTECTION", 88: "SAE_PK_EXCLUSIVE"}


class Element:
    """One element: id (and extension id), name, fields, bytes, problems."""

    __slots__ = ("eid", "ext", "name", "data", "fields", "problem")

    def __init__(self, eid: int, data: bytes, ext: int | None = None) -> None:
        self.eid = eid
        self.ext = ext
        self.data = data
        if ext is not None:
            self.name = enums.EXT_ELEMENT_IDS.get(ext, f"EXTENSION_{ext}")
        else:
            self.name = enums.ELEMENT_IDS.get(eid, f"ELEMENT_{eid}")
        self.fields: dict[str, Any] = {}
        self.problem: str | None = None

    def __repr__(self) -> str:
        return f"<Element {self.name} {self.fields or self.data.hex()}>"

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.eid, "name": self.name, "len": len(self.data)}
        if self.ext is not None:
            d["ext_id"] = self.ext
        if self.fields:
            d["fields"] = self.fields
        d["raw"] = self.data.hex()
        if self.problem:
            d["problem"] = self.problem
        return d

    def text_lines(self, indent: str) -> list[str]:
        ident = f"{self.eid}" if self.ext is None else f"255/{self.ext}"
        head = f"{indent}{self.name} ({ident}), {len(self.data)} octets"
        if not self.fields:
            return [head + (f": {self.data.hex()}" if self.data else "")] + (
                [f"{indent}    MALFORMED: {self.problem}"] if self.problem else [])
        lines = [head]
        for k, v in self.fields.items():
            if isinstance(v, list):
                v = ", ".join(str(x) for x in v) if v else "(none)"
            lines.append(f"{indent}    {k}: {escape_str(str(v))}")
        if self.problem:
            lines.append(f"{indent}    MALFORMED: {self.problem}")
        return lines


class _Short(Exception):
    pass


class _Reader:
    """Walks an element body; running out raises _Short (turned into a flag)."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise _Short(f"ends after {self.pos} of {self.pos + n} octets")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def u8(self) -> int:
        return self.take(1)[0]

    def u16(self) -> int:
        return struct.unpack("<H", self.take(2))[0]

    def left(self) -> int:
        return len(self.data) - self.pos


def _suite(r: _Reader, akm: bool = False) -> str:
    return suite_text(int.from_bytes(r.take(4), "big"), enums.AKM_SUITES if akm else enums.CIPHER_SUITES)[0]


def _bits(value: int, names: dict[int, str] | list[str]) -> list[str]:
    table = dict(enumerate(names)) if isinstance(names, list) else names
    out = []
    for bit in range(value.bit_length()):
        if value >> bit & 1:
            out.append(table.get(bit, f"bit{bit}"))
    return out


def _ssid(e: Element, r: _Reader) -> None:
    e.fields["ssid"] = text_of(e.data)


def _rates(e: Element, r: _Reader) -> None:
    e.fields["rates"] = [f"{(b & 0x7F) / 2:g}{'*' if b & 0x80 else ''}" for b in e.data]


def _ds(e: Element, r: _Reader) -> None:
    e.fields["channel"] = r.u8()


def _rsn(e: Element, r: _Reader) -> None:
    f = e.fields
    f["version"] = r.u16()
    if not r.left():
        return
    f["group_cipher"] = _suite(r)
    if not r.left():
        return
    f["pairwise_ciphers"] = [_suite(r) for _ in range(r.u16())]
    if not r.left():
        return
    f["akms"] = [_suite(r, akm=True) for _ in range(r.u16())]
    if not r.left():
        return
    caps = r.u16()
    f["capabilities"] = f"{caps:#06x}"
    f["capability_bits"] = _bits(caps, RSN_CAPS)
    f["mfp"] = "required" if caps & 0x40 else "capable" if caps & 0x80 else "no"
    if not r.left():
        return
    f["pmkids"] = [r.take(16).hex() for _ in range(r.u16())]
    if r.left() >= 4:
        f["group_mgmt_cipher"] = _suite(r)


def _rsnx(e: Element, r: _Reader) -> None:
    value = int.from_bytes(e.data, "little")
    e.fields["capabilities"] = _bits(value & ~0xF, RSNX_BITS)
    e.fields["sae_h2e"] = bool(value >> 5 & 1)
    e.fields["sae_pk"] = bool(value >> 6 & 1)


def _ext_capa(e: Element, r: _Reader) -> None:
    value = int.from_bytes(e.data, "little")
    e.fields["bits"] = _bits(value, EXT_CAPA_BITS)
    e.fields["bit_numbers"] = [b for b in range(value.bit_length()) if value >> b & 1]


def _ht_cap(e: Element, r: _Reader) -> None:
    e.fields["ht_capability_info"] = f"{r.u16():#06x}"
    e.fields["ampdu_params"] = f"{r.u8():#04x}"
    mcs = r.take(16)
    e.fields["rx_mcs"] = [i for i in range(77) if mcs[i // 8] >> (i % 8) & 1]


def _ht_op(e: Element, r: _Reader) -> None:
    e.fields["primary_channel"] = r.u8()
    info = r.take(5)
    offset = info[0] & 3
    e.fields["secondary_offset"] = {0: "none", 1: "above", 3: "below"}.get(offset, "reserved")
    e.fields["sta_channel_width"] = "any" if info[0] & 4 else "20 MHz"


def _vht_cap(e: Element, r: _Reader) -> None:
    e.fields["vht_capability_info"] = f"{struct.unpack('<I', r.take(4))[0]:#010x}"
    e.fields["rx_mcs_map"] = f"{r.u16():#06x}"


def _vht_op(e: Element, r: _Reader) -> None:
    width = r.u8()
    e.fields["channel_width"] = {0: "20/40 MHz", 1: "80/160/80+80 MHz", 2: "160 MHz", 3: "80+80 MHz"}.get(width, width)
    e.fields["center_seg0"] = r.u8()
    e.fields["center_seg1"] = r.u8()


def _mde(e: Element, r: _Reader) -> None:
    e.fields["mdid"] = f"{r.u16():#06x}"
    cap = r.u8()
    e.fields["ft_over_ds"] = bool(cap & 1)
    e.fields["resource_request"] = bool(cap & 2)


def _fte(e: Element, r: _Reader) -> None:
    e.fields["mic_control"] = f"{r.u16():#06x}"
    mic_len = 16 if len(e.data) >= 82 else max(0, len(e.data) - 66)
    e.fields["mic"] = r.take(mic_len).hex()
    e.fields["anonce"] = r.take(32).hex()
    e.fields["snonce"] = r.take(32).hex()


def _timeout(e: Element, r: _Reader) -> None:
    kind = r.u8()
    e.fields["type"] = enums.TIMEOUT_INTERVAL_TYPES.get(kind, str(kind))
    e.fields["value"] = struct.unpack("<I", r.take(4))[0]


def _vendor(e: Element, r: _Reader) -> None:
    oui = int.from_bytes(r.take(3), "big")
    e.fields["oui"] = format_mac(oui.to_bytes(3, "big")).replace(":", "-")
    if oui in OUI_NAMES:
        e.fields["vendor"] = OUI_NAMES[oui]
    if r.left():
        vtype = e.data[3]
        e.fields["type"] = vtype
        if (oui, vtype) in VENDOR_TYPES:
            e.name = f"VENDOR_{VENDOR_TYPES[(oui, vtype)].upper().replace(' ', '_')}"


def _password_id(e: Element, r: _Reader) -> None:
    e.fields["identifier"] = text_of(e.data)


def _rejected_groups(e: Element, r: _Reader) -> None:
    e.fields["groups"] = [g for (g,) in struct.iter_unpack("<H", e.data[: len(e.data) // 2 * 2])]
    if len(e.data) % 2:
        raise _Short("odd length")


def _token(e: Element, r: _Reader) -> None:
    e.fields["token"] = e.data.hex()


def _he_op(e: Element, r: _Reader) -> None:
    params = int.from_bytes(r.take(3), "little")
    e.fields["he_operation_params"] = f"{params:#08x}"
    e.fields["bss_color"] = r.u8() & 0x3F


PARSERS: dict[int, Callable[[Element, _Reader], None]] = {
    0: _ssid, 1: _rates, 3: _ds, 45: _ht_cap, 48: _rsn, 50: _rates, 54: _mde, 55: _fte, 56: _timeout,
    61: _ht_op, 114: _ssid, 127: _ext_capa, 191: _vht_cap, 192: _vht_op, 221: _vendor, 244: _rsnx,
}
EXT_PARSERS: dict[int, Callable[[Element, _Reader], None]] = {
    33: _password_id, 36: _he_op, 92: _rejected_groups, 93: _token,
}


MAX_ELEMENTS = 1024  # a frame holds a few dozen; a hostile list of 2-octet elements must not cost an object each


def decode_elements(data: bytes) -> tuple[list[Element], str | None]:
    """All elements in ``data``; the second item says why the walk stopped early."""
    out: list[Element] = []
    pos = 0
    while pos < len(data):
        if len(out) >= MAX_ELEMENTS:
            return out, f"{len(data) - pos} more octets of elements not decoded (bounded: {MAX_ELEMENTS} elements)"
        if pos + 2 > len(data):
            return out, f"one stray octet at offset {pos}"
        eid, length = data[pos], data[pos + 1]
        body = data[pos + 2:pos + 2 + length]
        if len(body) < length:
            e = Element(eid, body)
            e.problem = f"element claims {length} octets, only {len(body)} remain"
            out.append(e)
            return out, e.problem
        if eid == 255 and body:
            e = Element(eid, body[1:], ext=body[0])
            parser = EXT_PARSERS.get(body[0])
        else:
            e = Element(eid, body)
            parser = PARSERS.get(eid)
        if parser is not None:
            try:
                parser(e, _Reader(e.data))
            except _Short as short:
                e.problem = f"truncated: {short}"
        out.append(e)
        pos += 2 + length
    return out, None


class ElementList:
    """The decoded form of an IE-list attribute (IE, REQ_IE, BEACON_TAIL...)."""

    __slots__ = ("elements", "problem")

    def __init__(self, data: bytes) -> None:
        self.elements, self.problem = decode_elements(data)

    def as_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"elements": [e.as_dict() for e in self.elements]}
        if self.problem:
            d["elements_problem"] = self.problem
        return d

    def text_lines(self, indent: str) -> list[str]:
        lines = []
        for e in self.elements:
            lines.extend(e.text_lines(indent))
        if self.problem:
            lines.append(f"{indent}MALFORMED: {self.problem}")
        return lines

    def find(self, name: str) -> Element | None:
        return next((e for e in self.elements if e.name == name), None)

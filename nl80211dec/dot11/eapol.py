"""EAPoL frames and the EAPoL-Key descriptor, with the 4-way message named.

The key information bits say which message of the 4-way (or group) handshake
a frame is; the MIC length depends on the AKM, so it is inferred from the
frame's length (16 octets for PSK/SAE, 24 or 32 for Suite B / FT-SHA384).
The header and the fixed part of the descriptor are unpacked with structs
derived from :mod:`.schemas` (``EapolHeader``, ``eapol_key``).
"""

from __future__ import annotations

from typing import Any

from ..wire.layout import fixed_layout
from .elements import ElementList
from .schemas import EapolHeader, eapol_key

EAPOL_TYPES = {0: "EAP-Packet", 1: "Start", 2: "Logoff", 3: "Key", 4: "Encapsulated-ASF-Alert"}
DESCRIPTORS = {1: "RC4", 2: "RSN", 254: "WPA"}
KEY_INFO_BITS = {3: "pairwise", 6: "install", 7: "ack", 8: "mic", 9: "secure", 10: "error", 11: "request",
                 12: "encrypted_key_data", 13: "smk"}
_HEADER = fixed_layout(EapolHeader).unpacks_as("version", "type", "length")
_FIXED = fixed_layout(eapol_key(), until="mic").unpacks_as(  # descriptor .. reserved (77 octets)
    "descriptor", "key_info", "key_length", "replay_counter", "nonce", "iv", "rsc", "reserved")
_KEY_DATA_LENGTH = fixed_layout(eapol_key()).field("key_data_length").struct  # follows the MIC
MIC_LENGTHS = (16, 24, 32, 0)  # tried in this order; the one the key data length agrees with wins


class Eapol:
    __slots__ = ("version", "type", "length", "descriptor", "key_info", "key_length", "replay_counter", "nonce",
                 "iv", "rsc", "mic", "key_data", "key_data_length", "handshake", "problem", "key_data_elements")

    def __init__(self) -> None:
        self.version = self.type = self.length = 0
        self.descriptor: int | None = None
        self.key_info: int | None = None
        self.key_length = self.replay_counter = 0
        self.nonce = self.iv = self.rsc = self.mic = self.key_data = b""
        self.key_data_length = 0
        self.handshake: str | None = None
        self.problem: str | None = None
        self.key_data_elements: ElementList | None = None

    @property
    def key_info_flags(self) -> list[str]:
        ki = self.key_info or 0
        return [n for bit, n in KEY_INFO_BITS.items() if ki >> bit & 1]

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"version": self.version, "type": EAPOL_TYPES.get(self.type, self.type),
                             "length": self.length}
        if self.descriptor is not None:
            d.update({
                "descriptor": DESCRIPTORS.get(self.descriptor, self.descriptor),
                "key_info": f"{self.key_info:#06x}", "key_info_flags": self.key_info_flags,
                "key_descriptor_version": (self.key_info or 0) & 7, "key_length": self.key_length,
                "replay_counter": self.replay_counter, "nonce": self.nonce.hex(), "mic": self.mic.hex(),
                "key_data_length": self.key_data_length, "message": self.handshake,
            })
            if self.key_data_elements is not None:
                d["key_data"] = self.key_data_elements.as_json()["elements"]
        if self.problem:
            d["problem"] = self.problem
        return d

    def as_json(self) -> dict[str, Any]:
        return {"eapol": self.as_dict()}

    def text_lines(self, indent: str) -> list[str]:
        head = f"{indent}EAPoL v{self.version} {EAPOL_TYPES.get(self.type, self.type)}, {self.length} octets"
        if self.handshake:
            head += f": {self.handshake}"
        lines = [head]
        sub = indent + "    "
        if self.descriptor is not None:
            lines.append(f"{sub}descriptor {DESCRIPTORS.get(self.descriptor, self.descriptor)}, key info "
                         f"{self.key_info:#06x} [{','.join(self.key_info_flags)}] version "
                         f"{(self.key_info or 0) & 7}")
            lines.append(f"{sub}replay counter {self.replay_counter}, key length {self.key_length}")
            lines.append(f"{sub}nonce: {self.nonce.hex()}")
            lines.append(f"{sub}MIC ({len(self.mic)}): {self.mic.hex()}")
            lines.append(f"{sub}key data: {self.key_data_length} octets")
            if self.key_data_elements is not None:
                lines.extend(self.key_data_elements.text_lines(sub + "    "))
        if self.problem:
            lines.append(f"{sub}MALFORMED: {self.problem}")
        return lines


def _name_message(ki: int, nonce: bytes, key_data_len: int) -> str:
    pairwise, ack, mic, secure = ki >> 3 & 1, ki >> 7 & 1, ki >> 8 & 1, ki >> 9 & 1
    if ki >> 11 & 1:
        return "EAPoL-Key request"
    if pairwise:
        if ack and not mic:
            return "4-way message 1"
        if ack and mic:
            return "4-way message 3"
        if not ack and mic:
            if secure and (not any(nonce) or key_data_len == 0):
                return "4-way message 4"
            return "4-way message 2"
        return "4-way (unusual key info)"
    if ack:
        return "group key message 1"
    return "group key message 2"


def decode_eapol(raw: bytes) -> Eapol:
    """Decode an EAPoL frame (the payload after the Ethernet header)."""
    e = Eapol()
    if len(raw) < _HEADER.size:
        e.problem = f"{len(raw)} octets: shorter than the EAPoL header"
        return e
    e.version, e.type, e.length = _HEADER.unpack_from(raw)
    body = raw[_HEADER.size:_HEADER.size + e.length]
    if len(body) < e.length:
        e.problem = f"header says {e.length} octets, {len(body)} present"
    if e.type != 3:
        return e
    kdl, mic_at = _KEY_DATA_LENGTH, _FIXED.size
    if len(body) < mic_at + kdl.size:
        e.problem = f"EAPoL-Key of {len(body)} octets is shorter than its fixed fields"
        return e
    (e.descriptor, e.key_info, e.key_length, e.replay_counter, e.nonce, e.iv, e.rsc,
     _reserved) = _FIXED.unpack_from(body)
    mic_len = next((m for m in MIC_LENGTHS
                    if len(body) >= mic_at + m + kdl.size
                    and kdl.unpack_from(body, mic_at + m)[0] == len(body) - mic_at - m - kdl.size),
                   16)
    e.mic = body[mic_at:mic_at + mic_len]
    if len(body) < mic_at + mic_len + kdl.size:
        e.problem = "EAPoL-Key ends before the key data length"
        return e
    (e.key_data_length,) = kdl.unpack_from(body, mic_at + mic_len)
    e.key_data = body[mic_at + mic_len + kdl.size:]
    if len(e.key_data) != e.key_data_length:
        e.problem = f"key data length says {e.key_data_length}, {len(e.key_data)} octets present"
    e.handshake = _name_message(e.key_info, e.nonce, e.key_data_length)
    if e.key_data and not (e.key_info >> 12 & 1):  # plaintext key data holds elements (RSNE in message 2)
        e.key_data_elements = ElementList(e.key_data)
    return e

"""How one row of a daemon's pattern table turns a log message into a kind and typed fields.

A row is data: the kind it produces, a literal the message must contain (a
cheap filter, so a long journal costs one substring test per row and line),
a regular expression whose named groups become fields, constant fields, and
at most one named *derive* function for what a regular expression cannot say
(an SAE body inside a hex dump, a result code's name).  Group names decide
the type of the value (``status`` is an int, ``errno`` a negative int,
``peer`` a lower-case MAC, ``from_ap`` a bool...), so the tables never
convert anything themselves.
"""

from __future__ import annotations

import errno as errno_mod
import os
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..wire.text import format_mac

MAC = r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}"
HEX_BYTES = r"[0-9A-Fa-f]{2}(?: [0-9A-Fa-f]{2})*"

Fields = dict[str, Any]

INT_FIELDS = frozenset({
    "action", "aid", "auth_failures", "auth_type", "bsscfg", "channel", "code", "cookie", "duration", "flags", "freq",
    "group", "id", "ifidx", "ifindex", "len", "msg", "pmkids", "prefix", "reason", "reported", "result",
    "send_confirm", "signal", "status", "transaction", "tries", "try_no", "version",
})
HEX_FIELDS = frozenset({"akm", "fc", "connect_flags"})
BOOL_FIELDS = frozenset({"from_ap", "locally_generated", "pmkid_given"})
BOOL_WORDS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
EVENT_ATTRIBUTES = ("iface", "peer", "bssid")  # groups that become LogEvent attributes, not fields

# The C library's messages back to errno numbers: iwd logs strerror() text.
ERRNO_BY_TEXT = {os.strerror(code): code for code in sorted(errno_mod.errorcode, reverse=True)}

SAE_MESSAGES = {1: "commit", 2: "confirm"}
COMMIT_STATUSES_WITH_GROUP = frozenset({0, 76, 77, 126, 127})  # a commit body that still names its group

# iwd's enum netdev_result (src/netdev.h), the number station_connect_cb() logs.
IWD_RESULTS = {0: "OK", 1: "AUTHENTICATION_FAILED", 2: "ASSOCIATION_FAILED", 3: "HANDSHAKE_FAILED",
               4: "KEY_SETTING_FAILED", 5: "ABORTED", 6: "DISCONNECTED"}


def convert(name: str, value: str) -> Any:
    """A captured string as the type its group name promises."""
    if name in INT_FIELDS:
        return int(value)
    if name in HEX_FIELDS:
        return int(value, 16)
    if name == "errno":
        return -abs(int(value))
    if name in BOOL_FIELDS:
        return BOOL_WORDS[value.lower()]
    if name in ("peer", "bssid", "addr"):
        return value.lower()
    if name == "pmkid":
        return value.lower()
    return value


# --- derive functions: what a regular expression cannot say -----------------------------------------------------

def sae_message(fields: Fields) -> Fields | None:
    """transaction 1/2 -> message commit/confirm (the kind names it)."""
    message = SAE_MESSAGES.get(fields.get("transaction", 0))
    return None if message is None else {"message": message}


def _hex_bytes(text: str) -> bytes:
    out = bytearray()
    for token in text.split():
        if len(token) != 2:
            break
        try:
            out.append(int(token, 16))
        except ValueError:
            break
    return bytes(out)


def sae_body(body: bytes) -> Fields | None:
    """Transaction, status and group or send-confirm of an SAE authentication body (after the algorithm)."""
    if len(body) < 4:
        return None
    transaction, status = struct.unpack_from("<HH", body)
    message = SAE_MESSAGES.get(transaction)
    if message is None:
        return None
    out: Fields = {"transaction": transaction, "status": status, "message": message}
    if len(body) >= 6:
        (value,) = struct.unpack_from("<H", body, 4)
        if transaction == 1 and status in COMMIT_STATUSES_WITH_GROUP:
            out["group"] = value
        elif transaction == 2 and status == 0:
            out["send_confirm"] = value
    return out


def sae_auth_data(fields: Fields) -> Fields | None:
    """wpa_supplicant's ``auth_data`` dump: the SAE body the kernel puts after algorithm 3."""
    return sae_body(_hex_bytes(fields.pop("hex")))


def sae_auth_frame(fields: Fields) -> Fields | None:
    """A whole management frame in a dump: only an SAE Authentication frame makes an event."""
    frame = _hex_bytes(fields.pop("hex"))
    if len(frame) < 30 or frame[0] != 0xB0:
        return None
    (algorithm,) = struct.unpack_from("<H", frame, 24)
    if algorithm != 3:
        return None
    out = sae_body(frame[26:])
    if out is not None:
        out["peer"] = format_mac(frame[4:10])
    return out


def errno_from_text(fields: Fields) -> Fields | None:
    """iwd prints strerror(); give the number too (negative, like the kernel's)."""
    code = ERRNO_BY_TEXT.get(fields.get("reason_text", ""))
    return {} if code is None else {"errno": -code}


def iwd_result(fields: Fields) -> Fields | None:
    return {"result_name": IWD_RESULTS.get(fields["result"], str(fields["result"]))}


def locally_from_ap(fields: Fields) -> Fields | None:
    """iwd says from_ap; wpa_supplicant says locally_generated: give both."""
    return {"locally_generated": not fields["from_ap"]}


def apipa(fields: Fields) -> Fields | None:
    """169.254/16 is the address a host gives itself when DHCP never answered."""
    return {"apipa": str(fields.get("address", "")).startswith("169.254.")}


FW_SCAN_EVENTS = frozenset({"ESCAN_RESULT", "PFN_NET_FOUND", "PFN_NET_LOST"})  # one per BSS seen: not an attempt


def fw_event(fields: Fields) -> Fields | None:
    """brcmfmac firmware events, without the scan results (hundreds, about no attempt)."""
    return None if fields["event"] in FW_SCAN_EVENTS else {}


def tx_ack(fields: Fields) -> Fields | None:
    return {"ack": fields.get("outcome") == "success"}


def h2e_method(fields: Fields) -> Fields | None:
    return {"h2e": fields.get("method") == "H2E"}


# --- the row ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Pattern:
    """One line shape of one daemon: the kind it means and how to read its fields."""

    kind: str  # may name a field: "sae_{message}_rx"
    needle: str  # a literal every matching message contains
    regex: re.Pattern[str]
    side: str | None  # None: the table's side
    const: tuple[tuple[str, Any], ...]
    derive: Callable[[Fields], Fields | None] | None
    merge: bool  # the line completes the previous event of this kind instead of making one

    def read(self, message: str) -> tuple[str, dict[str, str | None], Fields] | None:
        """(kind, event attributes, fields) when the message has this shape, else None."""
        if self.needle not in message:
            return None
        found = self.regex.search(message)
        if found is None:
            return None
        fields: Fields = dict(self.const)
        attributes: dict[str, str | None] = {}
        try:
            for name, value in found.groupdict().items():
                if value is not None:
                    (attributes if name in EVENT_ATTRIBUTES else fields)[name] = convert(name, value)
        except ValueError:  # a number too long for int(): not a line a daemon wrote
            return None
        if self.derive is not None:
            extra = self.derive(fields)
            if extra is None:
                return None
            for name in EVENT_ATTRIBUTES:
                if name in extra:
                    attributes.setdefault(name, extra.pop(name))
            fields.update(extra)
        kind = self.kind.format_map(fields) if "{" in self.kind else self.kind
        return kind, attributes, fields


def row(kind: str, needle: str, regex: str, *, side: str | None = None,
        derive: Callable[[Fields], Fields | None] | None = None, merge: bool = False, **const: Any) -> Pattern:
    """A table row; ``const`` are fields every match carries (a capture of the same name overrides one)."""
    if needle not in regex.replace("\\", ""):
        raise ValueError(f"needle {needle!r} is not literally in {regex!r}")
    return Pattern(kind, needle, re.compile(regex), side, tuple(const.items()), derive, merge)

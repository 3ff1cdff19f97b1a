"""Radiotap headers: the radio facts a monitor interface adds to each frame.

One table (:data:`FIELDS`, radiotap.org's defined fields: bit, name,
alignment, layout) drives the parser; extended presence words and namespaces
are walked, fields past the first unknown bit are left alone (their size is
unknown) and said so.
"""

from __future__ import annotations

import struct
from typing import Any

from construct import Int8ul, Int16ul, Int32ul, Int64ul, Struct

from ..errors import DecodeError

# bit -> (name, alignment, struct format of the field)
FIELDS: dict[int, tuple[str, int, str]] = {
    0: ("tsft", 8, "Q"),
    1: ("flags", 1, "B"),
    2: ("rate", 1, "B"),
    3: ("channel", 2, "HH"),
    4: ("fhss", 1, "BB"),
    5: ("antenna_signal_dbm", 1, "b"),
    6: ("antenna_noise_dbm", 1, "b"),
    7: ("lock_quality", 2, "H"),
    8: ("tx_attenuation", 2, "H"),
    9: ("db_tx_attenuation", 2, "H"),
    10: ("tx_power_dbm", 1, "b"),
    11: ("antenna", 1, "B"),
    12: ("antenna_signal_db", 1, "B"),
    13: ("antenna_noise_db", 1, "B"),
    14: ("rx_flags", 2, "H"),
    15: ("tx_flags", 2, "H"),
    16: ("rts_retries", 1, "B"),
    17: ("data_retries", 1, "B"),
    18: ("xchannel", 4, "IHBB"),
    19: ("mcs", 1, "BBB"),
    20: ("ampdu", 4, "IHBB"),
    21: ("vht", 2, "HBB4sBBH"),
    22: ("timestamp", 8, "QHBB"),
    23: ("he", 2, "6H"),
    24: ("he_mu", 2, "HH4s"),
    25: ("he_mu_other_user", 2, "HHBB"),
    26: ("zero_length_psdu", 1, "B"),
    27: ("lsig", 2, "HH"),
}
FLAG_BITS = {0x01: "cfp", 0x02: "short_preamble", 0x04: "wep", 0x08: "fragmented", 0x10: "fcs_at_end",
             0x20: "data_pad", 0x40: "bad_fcs", 0x80: "short_gi"}

RadiotapMinimal = Struct(  # what mac80211_hwsim's monitor writes: TSFT, flags, rate, channel
    "version" / Int8ul,
    "pad" / Int8ul,
    "length" / Int16ul,
    "present" / Int32ul,
    "tsft" / Int64ul,
    "flags" / Int8ul,
    "rate" / Int8ul,
    "channel_freq" / Int16ul,
    "channel_flags" / Int16ul,
)


def parse_radiotap(data: bytes) -> tuple[dict[str, Any], int]:
    """Fields of the radiotap header at the start of ``data``, and its length."""
    if len(data) < 8:
        raise DecodeError(f"{len(data)} bytes: shorter than a radiotap header", layer="radiotap", offset=0)
    version, _pad, length, present = struct.unpack_from("<BBHI", data)
    if version != 0:
        raise DecodeError(f"radiotap version {version} (only 0 exists)", layer="radiotap", offset=0)
    if length < 8 or length > len(data):
        raise DecodeError(f"radiotap length {length} does not fit the {len(data)}-byte record",
                          layer="radiotap", offset=2)
    words = [present]
    pos = 8
    while words[-1] & 0x80000000 and pos + 4 <= length:
        words.append(struct.unpack_from("<I", data, pos)[0])
        pos += 4
    out: dict[str, Any] = {}
    # only the first namespace (radiotap's own) is decoded; vendor namespaces are skipped whole
    for bit in range(31):
        if not words[0] >> bit & 1:
            continue
        spec = FIELDS.get(bit)
        if spec is None:
            out["undecoded_from_bit"] = bit
            break
        name, align, fmt = spec
        pos = (pos + align - 1) & ~(align - 1)
        size = struct.calcsize("<" + fmt)
        if pos + size > length:
            out["truncated_at"] = name
            break
        values = struct.unpack_from("<" + fmt, data, pos)
        out[name] = values[0] if len(values) == 1 else values
        pos += size
    if "flags" in out:
        out["flag_names"] = [n for bit, n in FLAG_BITS.items() if out["flags"] & bit]
    if "channel" in out:
        out["freq"] = out["channel"][0]
    return out, length

"""Radiotap headers: the radio facts a monitor interface adds to each frame.

Each defined field is a small Construct schema with its alignment
(:data:`FIELD_SCHEMAS`, radiotap.org / the kernel's radiotap iterator); the
parser's table (:data:`FIELDS`) derives its structs from them, and
:data:`Radiotap` assembles them into one schema of the whole header that the
tests parse the same bytes with.  Extended presence words and namespaces are
walked, fields past the first unknown bit are left alone (their size is
unknown) and said so.
"""

from __future__ import annotations

import struct
from typing import Any

from construct import (
    Bytes,
    Construct,
    If,
    Int8sl,
    Int8ul,
    Int16ul,
    Int32ul,
    Int64ul,
    Padding,
    RepeatUntil,
    Struct,
    this,
)

from ..errors import DecodeError
from ..wire.layout import LayoutError, fixed_layout

RadiotapHeader = Struct("version" / Int8ul, "pad" / Int8ul, "length" / Int16ul, "present" / Int32ul)
PRESENT_EXT = 0x80000000  # another presence word follows

# bit -> (name, alignment from the header's start, the field's layout)
FIELD_SCHEMAS: dict[int, tuple[str, int, Construct]] = {
    0: ("tsft", 8, Int64ul),
    1: ("flags", 1, Int8ul),
    2: ("rate", 1, Int8ul),
    3: ("channel", 2, Struct("freq" / Int16ul, "flags" / Int16ul)),
    4: ("fhss", 2, Struct("hop_set" / Int8ul, "hop_pattern" / Int8ul)),
    5: ("antenna_signal_dbm", 1, Int8sl),
    6: ("antenna_noise_dbm", 1, Int8sl),
    7: ("lock_quality", 2, Int16ul),
    8: ("tx_attenuation", 2, Int16ul),
    9: ("db_tx_attenuation", 2, Int16ul),
    10: ("tx_power_dbm", 1, Int8sl),
    11: ("antenna", 1, Int8ul),
    12: ("antenna_signal_db", 1, Int8ul),
    13: ("antenna_noise_db", 1, Int8ul),
    14: ("rx_flags", 2, Int16ul),
    15: ("tx_flags", 2, Int16ul),
    16: ("rts_retries", 1, Int8ul),
    17: ("data_retries", 1, Int8ul),
    18: ("xchannel", 4, Struct("flags" / Int32ul, "freq" / Int16ul, "channel" / Int8ul, "max_power" / Int8ul)),
    19: ("mcs", 1, Struct("known" / Int8ul, "flags" / Int8ul, "mcs" / Int8ul)),
    20: ("ampdu", 4, Struct("reference" / Int32ul, "flags" / Int16ul, "delimiter_crc" / Int8ul,
                            "reserved" / Int8ul)),
    21: ("vht", 2, Struct("known" / Int16ul, "flags" / Int8ul, "bandwidth" / Int8ul, "mcs_nss" / Bytes(4),
                          "coding" / Int8ul, "group_id" / Int8ul, "partial_aid" / Int16ul)),
    22: ("timestamp", 8, Struct("timestamp" / Int64ul, "accuracy" / Int16ul, "unit_position" / Int8ul,
                                "flags" / Int8ul)),
    23: ("he", 2, Struct(*(f"data{i}" / Int16ul for i in range(1, 7)))),
    24: ("he_mu", 2, Struct("flags1" / Int16ul, "flags2" / Int16ul, "ru_channel1" / Bytes(4),
                            "ru_channel2" / Bytes(4))),
    25: ("he_mu_other_user", 2, Struct("per_user_1" / Int16ul, "per_user_2" / Int16ul,
                                       "per_user_position" / Int8ul, "per_user_known" / Int8ul)),
    26: ("zero_length_psdu", 1, Int8ul),
    27: ("lsig", 2, Struct("data1" / Int16ul, "data2" / Int16ul)),
}
FLAG_BITS = {0x01: "cfp", 0x02: "short_preamble", 0x04: "wep", 0x08: "fragmented", 0x10: "fcs_at_end",
             0x20: "data_pad", 0x40: "bad_fcs", 0x80: "short_gi"}


def _field_struct(name: str, schema: Construct) -> struct.Struct:
    """The struct of one radiotap field; every defined field has a fixed size."""
    layout = fixed_layout(Struct(name / schema))
    if layout.stopped_at is not None:
        raise LayoutError(f"radiotap field {name} is not fixed-size (at {layout.stopped_at})")
    return layout.struct


# bit -> (name, alignment, struct): what the parser reads, derived from FIELD_SCHEMAS
FIELDS: dict[int, tuple[str, int, struct.Struct]] = {
    bit: (name, align, _field_struct(name, schema)) for bit, (name, align, schema) in FIELD_SCHEMAS.items()}

_HEADER_LAYOUT = fixed_layout(RadiotapHeader)
_HEADER = _HEADER_LAYOUT.unpacks_as("version", "pad", "length", "present")
_PRESENT = _HEADER_LAYOUT.field("present").struct  # an extended presence word has the same layout


def _present(bit: int) -> Any:
    return lambda ctx: ctx.present >> bit & 1


def _align(align: int) -> Construct:
    return Padding(lambda ctx: -ctx._io.tell() % align)


# The whole header with radiotap's own fields (first namespace); the tests parse with it.
Radiotap = Struct(
    *RadiotapHeader.subcons,
    "more_present" / If(this.present & PRESENT_EXT, RepeatUntil(lambda word, _lst, _ctx: not word & PRESENT_EXT,
                                                                 Int32ul)),
    *(item for bit, (name, align, schema) in FIELD_SCHEMAS.items()
      for item in (If(_present(bit), _align(align)), name / If(_present(bit), schema))),
)

RadiotapMinimal = Struct(  # what mac80211_hwsim's monitor writes: TSFT, flags, rate, channel
    *RadiotapHeader.subcons,
    "tsft" / Int64ul,
    "flags" / Int8ul,
    "rate" / Int8ul,
    "channel_freq" / Int16ul,
    "channel_flags" / Int16ul,
)


def parse_radiotap(data: bytes) -> tuple[dict[str, Any], int]:
    """Fields of the radiotap header at the start of ``data``, and its length."""
    if len(data) < _HEADER.size:
        raise DecodeError(f"{len(data)} bytes: shorter than a radiotap header", layer="radiotap", offset=0)
    version, _pad, length, present = _HEADER.unpack_from(data)
    if version != 0:
        raise DecodeError(f"radiotap version {version} (only 0 exists)", layer="radiotap", offset=0)
    if length < _HEADER.size or length > len(data):
        raise DecodeError(f"radiotap length {length} does not fit the {len(data)}-byte record",
                          layer="radiotap", offset=2)
    words = [present]
    pos = _HEADER.size
    while words[-1] & PRESENT_EXT and pos + _PRESENT.size <= length:
        words.append(_PRESENT.unpack_from(data, pos)[0])
        pos += _PRESENT.size
    out: dict[str, Any] = {}
    # only the first namespace (radiotap's own) is decoded; vendor namespaces are skipped whole
    for bit in range(31):
        if not words[0] >> bit & 1:
            continue
        spec = FIELDS.get(bit)
        if spec is None:
            out["undecoded_from_bit"] = bit
            break
        name, align, layout = spec
        pos = (pos + align - 1) & ~(align - 1)
        if pos + layout.size > length:
            out["truncated_at"] = name
            break
        values = layout.unpack_from(data, pos)
        out[name] = values[0] if len(values) == 1 else values
        pos += layout.size
    if "flags" in out:
        out["flag_names"] = [n for bit, n in FLAG_BITS.items() if out["flags"] & bit]
    if "channel" in out:
        out["freq"] = out["channel"][0]
    return out, length

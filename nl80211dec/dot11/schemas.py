"""Construct schemas of 802.11 management frames, elements and EAPoL-Key.

The declarative truth: :mod:`.frames` and :mod:`.eapol` unpack with structs
derived from these (management bodies' fixed fields, EAPoL header and Key
descriptor), so a field's name here is the name users read; :mod:`.elements`
walks element bodies by hand and the tests hold it to these.  The tests and
the scenario builder build frames with these.
"""

from __future__ import annotations

from construct import (
    Bytes,
    GreedyBytes,
    GreedyRange,
    If,
    Int8ub,
    Int16ub,
    Int16ul,
    Int64ub,
    Int64ul,
    Prefixed,
    Struct,
    Switch,
    this,
)

MgmtHeader = Struct(
    "frame_control" / Int16ul,
    "duration" / Int16ul,
    "addr1" / Bytes(6),
    "addr2" / Bytes(6),
    "addr3" / Bytes(6),
    "seq_ctrl" / Int16ul,
)

AuthBody = Struct("algorithm" / Int16ul, "transaction" / Int16ul, "status" / Int16ul, "rest" / GreedyBytes)
AssocReqBody = Struct("capability" / Int16ul, "listen_interval" / Int16ul, "elements" / GreedyBytes)
ReassocReqBody = Struct("capability" / Int16ul, "listen_interval" / Int16ul, "current_ap" / Bytes(6),
                        "elements" / GreedyBytes)
AssocRespBody = Struct("capability" / Int16ul, "status" / Int16ul, "aid" / Int16ul, "elements" / GreedyBytes)
BeaconBody = Struct("timestamp" / Int64ul, "beacon_interval" / Int16ul, "capability" / Int16ul,
                    "elements" / GreedyBytes)
ReasonBody = Struct("reason" / Int16ul, "elements" / GreedyBytes)
ActionBody = Struct("category" / Int8ub, "action" / Int8ub, "rest" / GreedyBytes)

# subtype -> body schema (management frames)
MGMT_BODIES = {0: AssocReqBody, 1: AssocRespBody, 2: ReassocReqBody, 3: AssocRespBody, 4: Struct(
    "elements" / GreedyBytes), 5: BeaconBody, 8: BeaconBody, 10: ReasonBody, 11: AuthBody, 12: ReasonBody,
    13: ActionBody}

MgmtFrame = Struct(
    "header" / MgmtHeader,
    "body" / Switch(lambda ctx: (ctx.header.frame_control >> 4) & 0xF, MGMT_BODIES, default=GreedyBytes),
)

Element = Struct("id" / Int8ub, "data" / Prefixed(Int8ub, GreedyBytes))
Elements = GreedyRange(Element)

Suite = Bytes(4)  # OUI (3 octets) + suite type
RsnBody = Struct(
    "version" / Int16ul,
    "group_cipher" / Suite,
    "pairwise" / Struct("count" / Int16ul, "suites" / Suite[this.count]),
    "akms" / Struct("count" / Int16ul, "suites" / Suite[this.count]),
    "capabilities" / Int16ul,
    "pmkids" / Struct("count" / Int16ul, "ids" / Bytes(16)[this.count]),
    "group_mgmt_cipher" / Suite,
)

EapolHeader = Struct("version" / Int8ub, "type" / Int8ub, "length" / Int16ub)


def eapol_key(mic_len: int = 16) -> Struct:
    """EAPoL-Key descriptor; the MIC length depends on the AKM (16 for SAE/PSK)."""
    return Struct(
        "descriptor" / Int8ub,
        "key_info" / Int16ub,
        "key_length" / Int16ub,
        "replay_counter" / Int64ub,
        "nonce" / Bytes(32),
        "iv" / Bytes(16),
        "rsc" / Bytes(8),
        "reserved" / Bytes(8),
        "mic" / Bytes(mic_len),
        "key_data_length" / Int16ub,
        "key_data" / Bytes(this.key_data_length),
    )


def eapol_frame(mic_len: int = 16) -> Struct:
    return Struct("header" / EapolHeader, "body" / If(this.header.type == 3, eapol_key(mic_len)))

"""Does a generic-netlink payload look like nl80211?  Evidence, not proof.

A message counts for nl80211 when its command is an nl80211 command and every
attribute is a known nl80211 attribute whose length fits its fixed-size type;
it counts against when anything contradicts that; all-zero payloads (cleared
by the kernel) and messages with nothing checkable count neither way.
"""

from __future__ import annotations

from ..netlink.core import iter_attrs
from ..netlink.values import FIXED
from . import enums
from .policy import SPECS

_SIZES = {k: v[0] for k, v in FIXED.items()}
_SIZES.update({"flag": 0, "mac": 6, "suite": 4, "bitmask": 4, "sta_flag_update": 8})


def nl80211_evidence(raw: bytes, order: str = "<") -> int:
    """+1 consistent with nl80211, -1 contradicts it, 0 says nothing."""
    payload = raw[16:]
    if len(payload) < 4 or payload.count(0) == len(payload):
        return 0
    if raw[16] not in enums.COMMANDS or raw[16] == 0:
        return -1
    top = SPECS["nl80211_attrs"]
    checked = 0
    for num, _flags, s, e, problem in iter_attrs(raw, 20, len(raw), order):
        if problem is not None or num not in enums.ATTRS:
            return -1
        spec = top.get(num)
        if spec is None:
            continue
        size = _SIZES.get(spec.kind)
        if size is not None:
            if e - s != size:
                return -1
            checked += 1
    return 1 if checked else 0

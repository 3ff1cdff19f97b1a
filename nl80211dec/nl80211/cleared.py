"""Requests the kernel wiped before the capture copied them.

nl80211 zeroes the payload of key-carrying requests (ops flagged
NL80211_FLAG_CLEAR_SKB: NEW_KEY, SET_KEY, CONNECT, SET_REKEY_OFFLOAD ...)
once it has handled them; nlmon hands out clones sharing that buffer and
iwmon's socket copies late, so iwmon files show them as all zeros.
"""

from __future__ import annotations

from ..netlink.message import Message

CLEARED_NOTE = ("payload cleared by the kernel before the capture copied it "
                "(nl80211 wipes key-carrying requests such as NEW_KEY; an iwmon race)")


def cleared_by_kernel(msg: Message) -> bool:
    """A request whose genl header and attributes are all zero bytes."""
    raw = msg.raw
    return msg.role == "request" and len(raw) > 16 and raw.count(0, 16) == len(raw) - 16

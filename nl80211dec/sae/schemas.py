"""Construct schemas of SAE bodies, sized by the group table.

``commit(group)`` describes a commit for one group (scalar and element sizes
come from :data:`~.groups.GROUPS`, not from per-group code); the others are
fixed.  The scenario builder and the tests build frames with these, and
:func:`~.body.decode_sae` must read them back field for field.
"""

from __future__ import annotations

from construct import Bytes, Const, GreedyBytes, GreedyRange, Int8ub, Int16ul, Struct, this

from .groups import GROUPS

SaeExtElement = Struct(
    "id" / Const(255, Int8ub),
    "length" / Int8ub,
    "ext_id" / Int8ub,
    "data" / Bytes(this.length - 1),
)


def commit(group: int, token_len: int = 0) -> Struct:
    """A commit body for ``group`` with an optional pre-scalar token (hunt-and-peck)."""
    g = GROUPS[group]
    return Struct(
        "group" / Const(group, Int16ul),
        "token" / Bytes(token_len),
        "scalar" / Bytes(g.order_len),
        "element" / Bytes(g.element_len),
        "elements" / GreedyRange(SaeExtElement),
    )


SaeConfirm = Struct("send_confirm" / Int16ul, "confirm" / GreedyBytes)
SaeAntiCloggingRequest = Struct("group" / Int16ul, "token" / GreedyBytes)
SaeUnsupportedGroup = Struct("group" / Int16ul)
# NL80211_ATTR_AUTH_DATA (SAE in CMD_AUTHENTICATE / CMD_ASSOCIATE): the Authentication frame body after its
# algorithm field - transaction sequence, status, then the commit/confirm/rejection body.
SaeAuthData = Struct("transaction" / Int16ul, "status" / Int16ul, "body" / GreedyBytes)

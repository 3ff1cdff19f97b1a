"""What a message's command is called where the number would mislead.

iwmon copies some requests after the kernel wiped them (NEW_KEY, CONNECT,
SET_REKEY_OFFLOAD...): the request reads as command 0 (UNSPEC), and so does
the ACK or error that answers it.  Neither was an UNSPEC request; say so.
"""

from __future__ import annotations

from ..netlink.message import Message
from ..nl80211.cleared import CLEARED_NOTE

CLEARED_REQUEST = "(payload cleared)"
CLEARED_ANSWER = "(answer to a cleared request)"
CLEARED_ANSWER_NOTE = "answers a request whose payload the kernel cleared: its command is not known"


def cleared_request(msg: Message) -> bool:
    return CLEARED_NOTE in msg.notes


def answers_cleared(msg: Message) -> bool:
    """An ACK/error/DONE of nl80211 naming command 0: its request was cleared (no one sends UNSPEC)."""
    return msg.role in ("ack", "error", "done") and msg.family == "nl80211" and not msg.cmd


def command(msg: Message) -> str:
    """The command as users read it; a cleared request or its answer says so instead of UNSPEC."""
    if cleared_request(msg):
        return CLEARED_REQUEST
    if answers_cleared(msg):
        return CLEARED_ANSWER
    return msg.cmd_name or msg.type_name or "?"

"""The body of NLMSG_ERROR: errno (0 = ACK), the echoed request header, extended-ACK TLVs."""

from __future__ import annotations

import struct

from ..wire.text import errno_name
from .core import NLM_F_ACK_TLVS, NLM_F_CAPPED
from .message import Message, NetlinkError
from .values import flat_attrs

_EXT_ACK = {1: ("MSG", "string"), 2: ("OFFS", "u32"), 3: ("COOKIE", "binary"), 4: ("POLICY", "binary"),
            5: ("MISS_TYPE", "u32"), 6: ("MISS_NEST", "u32")}


def decode_error(msg: Message) -> None:
    """Fill ``msg.error`` from an NLMSG_ERROR payload (``msg.problem`` when it is too short)."""
    raw, order = msg.raw, msg.order
    if len(raw) < 20:
        msg.problem = f"NLMSG_ERROR of {len(raw)} bytes has no errno"
        return
    (err,) = struct.unpack_from(order + "i", raw, 16)
    e = NetlinkError(err, errno_name(err))
    msg.error = e
    if len(raw) < 36:
        if err != 0:
            msg.notes.append("error carries no echoed request header")
        return
    elen, etype, eflags, eseq, epid = struct.unpack_from(order + "IHHII", raw, 20)
    e.echo_type, e.echo_flags, e.echo_seq, e.echo_pid = etype, eflags, eseq, epid
    if not msg.flags & NLM_F_CAPPED and elen >= 20 and len(raw) >= 37 and etype >= 16:
        e.echo_cmd = raw[36]  # the echoed request's genl command
    ext_start = 20 + (16 if msg.flags & NLM_F_CAPPED else max(16, (elen + 3) & ~3))
    if msg.flags & NLM_F_ACK_TLVS and ext_start < len(raw):
        e.ext_attrs = flat_attrs(raw, ext_start, len(raw), _EXT_ACK, order)
        for a in e.ext_attrs:
            if a.name == "MSG":
                e.ext_msg = a.value
            elif a.name == "OFFS":
                e.ext_offset = a.value

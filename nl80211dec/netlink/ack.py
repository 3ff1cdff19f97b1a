"""The body of NLMSG_ERROR: errno (0 = ACK), the echoed request header, extended-ACK TLVs.

The errno and echoed header are unpacked with structs derived from the
``NlMsgErr`` schema (:mod:`.schemas`), in the message's byte order.
"""

from __future__ import annotations

from ..wire.layout import fixed_layout
from ..wire.text import errno_name
from .core import NLM_F_ACK_TLVS, NLM_F_CAPPED, NLMSG_HEADERS
from .message import Message, NetlinkError
from .schemas import GenlMsgHdr, NlMsgErr
from .values import flat_attrs

_ERRNO = {o: fixed_layout(NlMsgErr, o, until="echo").unpacks_as("error") for o in "<>"}
_ERRNO_ECHO = {o: fixed_layout(NlMsgErr, o).unpacks_as(
    "error", "echo.length", "echo.type", "echo.flags", "echo.seq", "echo.pid") for o in "<>"}
_BODY = NLMSG_HEADERS["<"].size  # where the NLMSG_ERROR body starts
_ERRNO_END = _BODY + _ERRNO["<"].size
_ECHO_END = _BODY + _ERRNO_ECHO["<"].size
_ECHO_SIZE = _ECHO_END - _ERRNO_END  # the echoed request header
_GENL_SIZE = fixed_layout(GenlMsgHdr).size

_EXT_ACK = {1: ("MSG", "string"), 2: ("OFFS", "u32"), 3: ("COOKIE", "binary"), 4: ("POLICY", "binary"),
            5: ("MISS_TYPE", "u32"), 6: ("MISS_NEST", "u32")}


def decode_error(msg: Message) -> None:
    """Fill ``msg.error`` from an NLMSG_ERROR payload (``msg.problem`` when it is too short)."""
    raw, order = msg.raw, msg.order
    if len(raw) < _ERRNO_END:
        msg.problem = f"NLMSG_ERROR of {len(raw)} bytes has no errno"
        return
    (err,) = _ERRNO[order].unpack_from(raw, _BODY)
    e = NetlinkError(err, errno_name(err))
    msg.error = e
    if len(raw) < _ECHO_END:
        if err != 0:
            msg.notes.append("error carries no echoed request header")
        return
    _err, elen, etype, eflags, eseq, epid = _ERRNO_ECHO[order].unpack_from(raw, _BODY)
    e.echo_type, e.echo_flags, e.echo_seq, e.echo_pid = etype, eflags, eseq, epid
    if not msg.flags & NLM_F_CAPPED and elen >= _ECHO_SIZE + _GENL_SIZE and len(raw) > _ECHO_END and etype >= 16:
        e.echo_cmd = raw[_ECHO_END]  # the echoed request's genl command
    ext_start = _ERRNO_END + (_ECHO_SIZE if msg.flags & NLM_F_CAPPED else max(_ECHO_SIZE, (elen + 3) & ~3))
    if msg.flags & NLM_F_ACK_TLVS and ext_start < len(raw):
        e.ext_attrs = flat_attrs(raw, ext_start, len(raw), _EXT_ACK, order)
        for a in e.ext_attrs:
            if a.name == "MSG":
                e.ext_msg = a.value
            elif a.name == "OFFS":
                e.ext_offset = a.value

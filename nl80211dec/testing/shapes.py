"""The shape of a station's connection attempt: what two captures of the same flow must share.

The scenario builder is held to real captures with this.  Two captures have
the same shape when the station's messages that matter for an attempt have
the same commands, roles, attribute names in the same order, the same
answers to each request (TX status, reply, ACK, in that order), and their
frames the same subtype and SAE transaction/status.  Addresses, timestamps,
cookies, scalars, nonces and SSIDs may differ; the few values that change
the meaning of a flow (auth type, status codes, the AKM byte order, RSNE
sizes and capabilities) are part of the shape.

Answers are folded into their request, so a peer frame that races a
request's ACK does not change the shape; duplicate copies of one event
(nlmon and iwmon see multicast events once per listening socket) count once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..netlink.message import Message

ATTEMPT_COMMANDS = frozenset({
    "CONNECT", "EXTERNAL_AUTH", "FRAME", "FRAME_TX_STATUS", "CONTROL_PORT_FRAME",
    "CONTROL_PORT_FRAME_TX_STATUS", "DISCONNECT", "SET_PMKSA",
})
# scalar attributes whose value changes what a flow means (others are values that may differ)
MEANINGFUL = ("AUTH_TYPE", "WPA_VERSIONS", "USE_MFP", "SAE_PWE", "EXTERNAL_AUTH_ACTION", "STATUS_CODE",
              "RXMGMT_FLAGS", "REASON_CODE")
IE_ATTRS = ("IE", "REQ_IE")
NLM_F_CAPPED = 0x100


@dataclass(frozen=True)
class Shape:
    """One station message (a request with its answers, an event, or an EAPoL frame), values left out."""

    what: str
    attrs: tuple[str, ...] = ()
    detail: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()

    def line(self) -> str:
        parts = [self.what]
        if self.attrs:
            parts.append("[" + " ".join(self.attrs) + "]")
        parts += list(self.detail)
        if self.answers:
            parts.append("-> " + ", ".join(self.answers))
        return " ".join(parts)


@dataclass
class _Open:
    """A request whose answers are still being collected, and where its shape sits in the list."""

    msg: Message
    cmd: str
    zeroed: bool
    slot: int
    answers: list[str] = field(default_factory=list)

    def shape(self) -> Shape:
        if self.zeroed or not self.msg.attrs:
            return Shape(f"{self.cmd} request", ("zeroed",), (), tuple(self.answers))
        return Shape(f"{self.cmd} request", _names(self.msg), _detail(self.msg), tuple(self.answers))


def station_ifindex(messages: Iterable[Message]) -> int | None:
    """The station interface: the one the firmware asked for external auth on, else the first CONNECT's."""
    first = None
    for m in messages:
        if m.cmd_name == "EXTERNAL_AUTH" and m.role == "event":
            return m.value("IFINDEX")
        if first is None and m.cmd_name == "CONNECT" and m.value("IFINDEX") is not None:
            first = m.value("IFINDEX")
    return first


def merge_eapol(netlink: list[Message], eapol_from: Iterable[Message]) -> list[Message]:
    """nlmon cannot see EAPoL on the netdev: take it from an iwmon file of the same run, placed by time."""
    frames = [m for m in eapol_from if m.protocol == "eapol"]
    return sorted(list(netlink) + frames, key=lambda m: m.timestamp)


def shapes(messages: Iterable[Message], *, twin: Iterable[Message] | None = None, first: int = 1,
           connects: int = 1, teardown: bool = False) -> list[Shape]:
    """The shapes of ``connects`` attempts on the station interface from the ``first``-th CONNECT on, in order.

    The window ends before the next CONNECT request; ``teardown=False`` also
    ends it at the first DISCONNECT after the last attempt's 4-way handshake
    completed (the lab's end-of-run teardown).
    ``twin`` is a complete capture of the same moment (nlmon for an iwmon
    file, the builder's lossless build for its lossy one): requests the
    kernel zeroed before the copy are named from it.
    """
    msgs = list(messages)
    twins = {(m.seq, m.pid): m for m in twin or () if m.role == "request"}
    ifindex = station_ifindex(twins.values() if twins else msgs) or station_ifindex(msgs)
    out: list[Shape] = []
    open_: dict[int, _Open] = {}
    seen_connects = 0
    authorized = False
    for m in msgs:
        if m.duplicate_of is not None:
            continue
        if m.protocol == "eapol":
            if seen_connects >= first:
                out.append(_eapol_shape(m))
                authorized = authorized or (m.eapol is not None and m.eapol.handshake == "4-way message 4")
            continue
        cmd, zeroed = m.cmd_name, False
        if m.role == "request" and not m.attrs and (m.seq, m.pid) in twins:
            cmd, zeroed = twins[(m.seq, m.pid)].cmd_name, True
            if twins[(m.seq, m.pid)].value("IFINDEX") != ifindex:
                continue
        if m.role in ("reply", "ack", "error"):
            pending = open_.get(m.reply_to) if m.reply_to is not None else None
            if m.reply_to is not None and pending is not None:
                pending.answers.append(_answer(m))
                out[pending.slot] = pending.shape()
                if m.role != "reply":
                    del open_[m.reply_to]
            continue
        if cmd not in ATTEMPT_COMMANDS or (not zeroed and m.value("IFINDEX") != ifindex):
            continue
        if cmd == "CONNECT" and m.role == "request":
            seen_connects += 1
            if seen_connects >= first + connects:
                break
            authorized = False
        if seen_connects < first:
            continue
        if cmd == "DISCONNECT" and authorized and not teardown and seen_connects == first + connects - 1:
            break
        if cmd == "FRAME_TX_STATUS" and _attach_tx_status(m, open_, out):
            continue
        if m.role == "request":
            open_[m.index] = pending = _Open(m, cmd, zeroed, len(out))
            out.append(pending.shape())
        else:
            out.append(_event_shape(m))
    return out


def _attach_tx_status(m: Message, open_: dict[int, _Open], out: list[Shape]) -> bool:
    """A TX status belongs to the open FRAME request that sent the same frame bytes."""
    frame = m.get("FRAME")
    for pending in reversed(open_.values()):
        sent = pending.msg.get("FRAME")
        if pending.cmd == "FRAME" and sent is not None and frame is not None and sent.raw == frame.raw:
            pending.answers.append(f"TX_STATUS[{' '.join(a.name for a in m.attrs)}]")
            out[pending.slot] = pending.shape()
            return True
    return False


def _answer(m: Message) -> str:
    if m.role == "reply":
        return f"reply[{' '.join(a.name for a in m.attrs)}]"
    err = m.error
    echo = "capped" if m.flags & NLM_F_CAPPED else "echo"
    if err is None or err.errno == 0:
        return f"ack({echo})"
    return f"error {err.errno}({echo})"


def _event_shape(m: Message) -> Shape:
    return Shape(f"{m.cmd_name} {m.role}", _names(m), _detail(m))


def _names(m: Message) -> tuple[str, ...]:
    return tuple(a.name for a in m.attrs)


def _detail(m: Message) -> tuple[str, ...]:
    out = []
    for name in MEANINGFUL:
        a = m.get(name)
        if a is not None:
            out.append(f"{name}={a.value}")
    akm = m.get("AKM_SUITES")
    if akm is not None and m.cmd_name == "EXTERNAL_AUTH":
        out.append(f"AKM_BYTES={akm.raw.hex()}")
    for name in IE_ATTRS:
        a = m.get(name)
        if a is not None and a.decoded is not None and hasattr(a.decoded, "elements"):
            out.append(f"{name}=" + (",".join(_rsn(e) for e in a.decoded.elements if e.name == "RSN") or "no-RSN"))
    frame = m.get("FRAME")
    if frame is not None and frame.decoded is not None:
        out.append(_frame(frame.decoded))
    return tuple(out)


def _rsn(e: Any) -> str:
    """The supplicant's RSNE: its size, capabilities and PMKIDs (the other elements are the firmware's or the AP's)."""
    caps = e.fields.get("capabilities", "?")
    pmkids = len(e.fields.get("pmkids", ()) or ())
    return f"RSN({len(e.data)},caps={caps},pmkids={pmkids})"


def _frame(d) -> str:
    if hasattr(d, "handshake"):  # EAPoL over the control port
        return f"EAPOL {d.handshake} key_info={d.key_info:#06x}"
    text = getattr(d, "subtype_name", "?")
    sae = getattr(d, "sae", None)
    if sae is not None:
        text += f" SAE {sae.message} status={sae.status}" + (f" group={sae.group}" if sae.group else "")
    return text


def _eapol_shape(m: Message) -> Shape:
    e = m.eapol
    found = getattr(e.key_data_elements, "elements", None) or ()
    kde = ",".join(x.name for x in found)
    return Shape("EAPOL", (), (f"{e.handshake} key_info={e.key_info:#06x}", f"key_data={kde or '-'}"))


def differences(reference: list[Shape], built: list[Shape], *, ref_name: str = "real",
                built_name: str = "builder") -> list[str]:
    """Readable differences, one line each: messages only one side has, then field by field; [] when equal.

    Messages are aligned by what they are (command and role), so one missing
    message shows as one line, not as a shifted tail.
    """
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=[s.what for s in reference], b=[s.what for s in built], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("replace", "delete"):
            out += [f"#{i + 1} only in {ref_name}: {reference[i].line()}" for i in range(i1, i2)]
        if op in ("replace", "insert"):
            out += [f"#{j + 1} only in {built_name}: {built[j].line()}" for j in range(j1, j2)]
        if op == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                out += _field_differences(i, reference[i], built[j], ref_name, built_name)
    return out


def _field_differences(i: int, ref: Shape, got: Shape, ref_name: str, built_name: str) -> list[str]:
    out = []
    for name in ("attrs", "detail", "answers"):
        a, b = getattr(ref, name), getattr(got, name)
        if a != b:
            out.append(f"#{i + 1} {ref.what} {name}: {ref_name} {' '.join(a) or '-'} | "
                       f"{built_name} {' '.join(b) or '-'}")
    return out

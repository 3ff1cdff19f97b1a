"""The decoding layers composed: capture records in, finished messages out (sans-IO).

:class:`Decoder` takes records one at a time and returns the messages ready
so far.  Messages of a generic-netlink id no NEWFAMILY has named yet wait in
:class:`~.families.FamilyGuess` while it gathers evidence; order is always
preserved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..capture.reader import Record
from ..errors import DecodeError
from ..link import parse_link
from ..link.cooked import SUPPORTED_LINKTYPES
from ..netlink import enums as nl_enums
from ..netlink.ack import decode_error
from ..netlink.core import NLMSG_ERROR, host_order, split_messages
from ..netlink.genl import GENL_ID_CTRL, FamilyMap, decode_ctrl
from ..netlink.message import Message
from ..netlink.roles import RoleTracker
from ..netlink.rtnl import decode_rtnl
from ..nl80211 import enums as nl80211_enums
from ..nl80211.cleared import CLEARED_NOTE, cleared_by_kernel
from ..nl80211.decode import LAZY_MAX_BYTES, Sink, decode_attrs
from .families import FamilyGuess, family_id_of
from .memo import MEMO_ENTRIES, DecodeMemo, MemoEntry
from .summary import Summary

# Nested nl80211 sets that hold no 802.11 data are decoded when first read (nl80211/decode.py, Sink):
# --sae, attempts() and filters never build most of a wiphy dump.  The values, texts and the problems
# counted are the same either way (tests/test_lazy.py); False decodes every tree at once.
LAZY = True


class Decoder:
    """Decode capture records into :class:`Message` objects, in order.

    ``families`` maps family names to ids the user knows (``{"nl80211": 0x1c}``);
    ``assume`` allows assuming nl80211 for an unnamed id from evidence.
    ``post`` is called on each finished message (the 802.11 layer hooks in).
    ``memo`` bounds the decode memo (:mod:`nl80211dec.memo`) in distinct
    payloads; 0 decodes every message afresh.
    """

    def __init__(self, families: dict[str, int] | None = None, assume: bool = True,
                 post: Callable[[Message], None] | None = None, memo: int = MEMO_ENTRIES) -> None:
        self.families = FamilyMap(families)
        self.assume = assume
        self.summary = Summary()
        self._roles = RoleTracker()
        self._index = 1  # message numbers start at 1, as tshark counts frames: one number everywhere
        self._guess = FamilyGuess(self.families, assume)
        self._post = post
        self.memo = DecodeMemo(memo)

    # -- public ---------------------------------------------------------
    def feed(self, record: Record) -> list[Message]:
        """Decode one record; return the messages that are ready."""
        self.summary.records += 1
        before = (self.summary.malformed_records, self.summary.skipped_records)
        produced = self._record_messages(record)
        if (self.summary.malformed_records, self.summary.skipped_records) == before:
            self.summary.decoded_records += 1
        out: list[Message] = []
        for msg in produced:
            out.extend(self._finish(m) for m in self._guess.offer(msg))
        return out

    def flush(self) -> list[Message]:
        """Call at the end of the capture: release everything held."""
        out = [self._finish(m) for m in self._guess.flush()]
        for fid, (name, idx) in sorted(self.families.learned.items()):
            self.summary.families[f"{fid:#x}"] = {"name": name, "source": "nlctrl" if idx >= 0 else "fixed"}
        for fid, name in self.families.given.items():
            self.summary.families[f"{fid:#x}"] = {"name": name, "source": "option"}
        for fid, name in self.families.assumed.items():
            self.summary.families[f"{fid:#x}"] = {"name": name, "source": "assumed"}
        self.summary.notes.extend(self._guess.notes())
        self.summary.notes.extend(self.families.conflicts)
        radio = sum(n for k, n in self.summary.skipped.items() if k.startswith(("link type 127", "link type 105")))
        if radio:
            self.summary.notes.append(f"{radio} records are 802.11 frames from a monitor interface: pass that file "
                                      "with --air next to a netlink capture to join the two")
        return out

    def decode_all(self, records: Iterable[Record]) -> Iterable[Message]:
        for rec in records:
            yield from self.feed(rec)
        yield from self.flush()

    # -- records -> messages --------------------------------------------------
    def _new(self, record: Record, protocol: str, raw: bytes) -> Message:
        msg = Message(self._index, record.number, record.timestamp, protocol, raw)
        msg.line = record.line
        self._index += 1
        return msg

    def _record_messages(self, record: Record) -> list[Message]:
        data = record.data
        if record.linktype not in SUPPORTED_LINKTYPES:
            self.summary.skipped[f"link type {record.linktype} (not netlink)"] += 1
            self.summary.skipped_records += 1
            return []
        try:
            link = parse_link(record.linktype, data)
        except DecodeError as e:
            msg = self._new(record, "unknown", bytes(data))
            msg.problem = str(e)
            self.summary.malformed_records += 1
            return [msg]
        if link.kind == "eapol":
            msg = self._new(record, "eapol", bytes(data[link.offset:]))
            msg.role = "eapol"
            msg.cmd_name = "EAPOL"
            return [msg]
        if link.hatype != 824:
            self.summary.skipped[f"link protocol {link.kind}"] += 1
            self.summary.skipped_records += 1
            return []
        order = host_order(data, link.offset)
        out = []
        bad = False
        for off, length, mtype, flags, seq, pid, problem in split_messages(data, link.offset, order):
            msg = self._new(record, link.kind, bytes(data[off:off + length]))
            msg.order = order
            msg.nl_type, msg.flags, msg.seq, msg.pid, msg.length = mtype, flags, seq, pid, length
            if problem is not None:
                msg.problem = problem
                msg.type_name = nl_enums.NLMSG_TYPES.get(mtype, f"{mtype:#x}")
                bad = True
            else:
                self._decode_header_level(msg)
                self._roles.classify(msg)
            out.append(msg)
        if bad:
            self.summary.malformed_records += 1
        if not out:
            msg = self._new(record, link.kind, b"")
            msg.problem = "record holds no netlink message"
            self.summary.malformed_records += 1
            out.append(msg)
        return out

    def _decode_header_level(self, msg: Message) -> None:
        """What can be known before the family is: type name, errors, nlctrl."""
        t = msg.nl_type
        if t < 16:
            msg.type_name = nl_enums.NLMSG_TYPES.get(t, f"{t:#x}")
            if t == NLMSG_ERROR:
                decode_error(msg)
            return
        if msg.protocol == "generic":
            msg.family_id = t
            if len(msg.raw) < 20:
                msg.problem = f"generic netlink message of {len(msg.raw)} bytes has no genl header"
                return
            msg.cmd, msg.version = msg.raw[16], msg.raw[17]
            if t == GENL_ID_CTRL:
                msg.family, msg.family_source = "nlctrl", "fixed"
                self._memoized(msg, "nlctrl", _decode_ctrl)
                self.families.observe(msg)
        elif msg.protocol == "route":
            msg.family = "rtnetlink"
            self._memoized(msg, ("route", t, msg.flags & 1), _decode_rtnl)
        else:
            msg.type_name = f"{t:#x}"

    # -- family payloads ---------------------------------------------------------
    def _finish(self, msg: Message) -> Message:
        fid = family_id_of(msg)
        if fid is not None and fid != GENL_ID_CTRL:
            name, source = self.families.lookup(fid)
            if source == "nlctrl" and self.families.learned[fid][1] > msg.index:
                source = "later-nlctrl"
            msg.family, msg.family_source, msg.family_id = name, source, fid
            if msg.nl_type >= 16 and msg.problem is None:
                if name == "nl80211":
                    self._decode_nl80211(msg)
                else:
                    msg.cmd_name = f"CMD_{msg.cmd}"
            elif msg.nl_type < 16 and name == "nl80211":
                self._name_answer(msg, nl80211_enums.COMMANDS)
        elif msg.protocol == "generic" and msg.nl_type < 16 and fid == GENL_ID_CTRL:
            msg.family, msg.family_source = "nlctrl", "fixed"
            self._name_answer(msg, nl_enums.CTRL_CMDS)
        elif msg.protocol == "route" and msg.nl_type < 16:
            msg.family = "rtnetlink"
            echo = msg.error.echo_type if msg.error is not None else None
            if echo:
                msg.cmd, msg.cmd_name = echo, nl_enums.RTM_TYPES.get(echo, f"RTM_{echo}")
        if msg.duplicate_of is not None:
            self.summary.duplicates += 1
        if self._post is not None:
            try:
                self._post(msg)
            except DecodeError as e:  # a higher layer's damage marks the message, never stops us
                msg.notes.append(f"higher-layer decode failed: {e}")
        self.summary.messages += 1
        if msg.malformed:
            self.summary.malformed += 1
        return msg

    def _name_answer(self, msg: Message, names: dict[int, str]) -> None:
        """Give an ACK/error/DONE the command of the request it answers."""
        cmd = msg.error.echo_cmd if msg.error is not None else None
        if not cmd:  # none echoed, or 0: the kernel cleared the request the echo was copied from
            cmd = self._roles.request_cmd(msg) or cmd
        if cmd is not None:
            msg.cmd = cmd
            msg.cmd_name = names.get(cmd, f"UNKNOWN_{cmd}")

    def _decode_nl80211(self, msg: Message) -> None:
        if cleared_by_kernel(msg):
            msg.cmd_name = "UNSPEC"
            msg.notes.append(CLEARED_NOTE)
            self.summary.cleared += 1
            return
        self._memoized(msg, "nl80211", _decode_nl80211_attrs)

    def _memoized(self, msg: Message, what: object, decode: Callable[[Message], None]) -> None:
        """``decode(msg)``, or the decode of the same payload met before (see :mod:`nl80211dec.memo`)."""
        memo = self.memo
        if not memo.entries:
            decode(msg)
            return
        key = ((what, msg.order), msg.raw[16:])
        entry = memo.get(key)
        if entry is not None:
            entry.apply(msg)
            return
        decode(msg)
        if memo.cacheable(msg.payloads) and memo.admit(key):
            entry = MemoEntry(msg)
            memo.put(key, entry)
            msg.shared = entry


def _decode_nl80211_attrs(msg: Message) -> None:
    raw = msg.raw
    cmd = msg.cmd or 0
    msg.cmd_name = nl80211_enums.COMMANDS.get(cmd, f"UNKNOWN_{cmd}")
    sink = Sink(lazy=LAZY and len(raw) <= LAZY_MAX_BYTES)
    msg.attrs = decode_attrs(raw, 20, len(raw), "nl80211_attrs", msg.order, 0, sink)
    msg.payloads, msg.attr_problems = sink.payloads, sink.problems


def _decode_ctrl(msg: Message) -> None:
    decode_ctrl(msg, msg.raw, 20, len(msg.raw))
    msg.attr_problems = _problems(msg)


def _decode_rtnl(msg: Message) -> None:
    decode_rtnl(msg, msg.raw, 16, len(msg.raw))
    msg.attr_problems = _problems(msg)


def _problems(msg: Message) -> int:
    """Malformed attributes, counted once at decode time (the memo keeps the count with the tree).

    Without it ``Message.malformed`` walked the tree again on every call (the summary and each
    renderer ask), and nlctrl replies are large.
    """
    return sum(1 for a in msg.walk() if a.problem is not None)

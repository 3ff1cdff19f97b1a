"""Records in, decoded messages out: the layers composed, no I/O.

:class:`Decoder` takes capture records one at a time and returns the messages
ready so far.  Messages of a generic-netlink id that no NEWFAMILY has named yet
are held (bounded) while the decoder gathers evidence for assuming nl80211;
order is always preserved.
"""

from __future__ import annotations

import errno as errno_mod
import os
import struct
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .capture.reader import Record
from .errors import DecodeError
from .link import parse_link
from .link.cooked import SUPPORTED_LINKTYPES
from .memo import MEMO_ENTRIES, DecodeMemo, MemoEntry
from .netlink import enums as nl_enums
from .netlink.core import NLM_F_ACK_TLVS, NLM_F_CAPPED, NLMSG_ERROR, host_order, split_messages
from .netlink.genl import GENL_ID_CTRL, FamilyMap, decode_ctrl
from .netlink.message import Message, NetlinkError
from .netlink.roles import RoleTracker
from .netlink.rtnl import decode_rtnl
from .netlink.values import flat_attrs
from .nl80211 import enums as nl80211_enums
from .nl80211.decode import Sink, decode_attrs
from .nl80211.evidence import nl80211_evidence

HOLD_LIMIT = 512  # messages held at most while a family id is undecided
ASSUME_AFTER = 4  # consistent nl80211-shaped messages needed to assume the id
ASSUME_AT_END = 2  # ...or this many when the capture ends first

_EXT_ACK = {1: ("MSG", "string"), 2: ("OFFS", "u32"), 3: ("COOKIE", "binary"), 4: ("POLICY", "binary"),
            5: ("MISS_TYPE", "u32"), 6: ("MISS_NEST", "u32")}


@dataclass
class Summary:
    """Accounts for every record: records = decoded_records + malformed_records + skipped_records.

    ``skipped`` names the reasons, for skipped records and for container
    blocks that hold no packet (pcapng name resolution, statistics...).
    """

    records: int = 0
    decoded_records: int = 0
    skipped_records: int = 0
    messages: int = 0
    malformed: int = 0
    malformed_records: int = 0
    skipped: Counter = field(default_factory=Counter)
    duplicates: int = 0
    cleared: int = 0
    families: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    damage: str | None = None
    damage_offset: int | None = None
    air: dict | None = None

    def as_dict(self) -> dict:
        return {
            "kind": "summary",
            "records": self.records,
            "decoded_records": self.decoded_records,
            "malformed_records": self.malformed_records,
            "skipped_records": self.skipped_records,
            "messages": self.messages,
            "malformed": self.malformed,
            "skipped": dict(self.skipped),
            "duplicates": self.duplicates,
            "cleared_by_kernel": self.cleared,
            "families": self.families,
            "notes": list(self.notes),
            "damage": None if self.damage is None else {"error": self.damage, "offset": self.damage_offset},
            **({"air": self.air} if self.air is not None else {}),
        }


def errno_name(value: int) -> str:
    code = -value if value < 0 else value
    if code == 0:
        return "OK"
    return errno_mod.errorcode.get(code, f"E{code}")


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
        self._index = 0
        self._held: list[Message] = []
        self._evidence: dict[int, list[int]] = {}  # id -> [consistent, contradicting]
        self._refused: set[int] = set()
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
            undecided = self._undecided(msg)  # always: it also gathers the evidence
            if self._held or undecided:
                self._held.append(msg)
            else:
                out.append(self._finish(msg))
        if self._held and (self._decidable() or len(self._held) >= HOLD_LIMIT):
            out.extend(self._release(final=len(self._held) >= HOLD_LIMIT))
        return out

    def flush(self) -> list[Message]:
        """Call at the end of the capture: release everything held."""
        out = self._release(final=True) if self._held else []
        for fid, (name, idx) in sorted(self.families.learned.items()):
            self.summary.families[f"{fid:#x}"] = {"name": name, "source": "nlctrl" if idx >= 0 else "fixed"}
        for fid, name in self.families.given.items():
            self.summary.families[f"{fid:#x}"] = {"name": name, "source": "option"}
        for fid, name in self.families.assumed.items():
            self.summary.families[f"{fid:#x}"] = {"name": name, "source": "assumed"}
            self.summary.notes.append(
                f"generic netlink id {fid:#x} was assumed to be {name}: the capture has no NEWFAMILY "
                f"naming it and its messages decode cleanly as {name} (use --family {name}={fid:#x} to say so)")
        for fid in sorted(self._refused):
            self.summary.notes.append(f"generic netlink id {fid:#x} is not named in the capture and does not "
                                      "look like nl80211; its messages are shown undecoded")
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
                self._decode_error(msg)
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

    def _decode_error(self, msg: Message) -> None:
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

    # -- families --------------------------------------------------------
    def _family_id_of(self, msg: Message) -> int | None:
        if msg.protocol != "generic":
            return None
        if msg.nl_type >= 16:
            return msg.nl_type
        if msg.error is not None and msg.error.echo_type is not None and msg.error.echo_type >= 16:
            return msg.error.echo_type
        return None

    def _undecided(self, msg: Message) -> bool:
        fid = self._family_id_of(msg)
        if fid is None or self.families.known(fid) or fid in self._refused:
            return False
        if not self.assume:
            return False
        if msg.nl_type >= 16 and msg.problem is None:
            score = nl80211_evidence(msg.raw, msg.order)
            ev = self._evidence.setdefault(fid, [0, 0])
            if score > 0:
                ev[0] += 1
            elif score < 0:
                ev[1] += 1
        return True

    def _decidable(self) -> bool:
        for fid, (good, bad) in self._evidence.items():
            if not self.families.known(fid) and fid not in self._refused and (bad or good >= ASSUME_AFTER):
                return True
        return all(self.families.known(self._family_id_of(m) or 0) or self._family_id_of(m) is None
                   for m in self._held)

    def _decide(self, final: bool) -> None:
        for fid, (good, bad) in list(self._evidence.items()):
            if self.families.known(fid) or fid in self._refused:
                continue
            if bad:
                self._refused.add(fid)
            elif good >= ASSUME_AFTER or (final and good >= ASSUME_AT_END):
                if self.families.family_for_name("nl80211") is None:
                    self.families.assumed[fid] = "nl80211"
                else:
                    self._refused.add(fid)
            elif final:
                self._refused.add(fid)

    def _release(self, final: bool) -> list[Message]:
        self._decide(final)
        out = []
        while self._held:
            msg = self._held[0]
            fid = self._family_id_of(msg)
            if fid is not None and not self.families.known(fid) and fid not in self._refused and not final:
                break
            out.append(self._finish(self._held.pop(0)))
        return out

    # -- family payloads ---------------------------------------------------------
    def _finish(self, msg: Message) -> Message:
        fid = self._family_id_of(msg)
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
        if cmd is None:
            cmd = self._roles.request_cmd(msg)
        if cmd is not None:
            msg.cmd = cmd
            msg.cmd_name = names.get(cmd, f"UNKNOWN_{cmd}")

    def _decode_nl80211(self, msg: Message) -> None:
        raw = msg.raw
        if msg.role == "request" and len(raw) > 16 and raw.count(0, 16) == len(raw) - 16:
            msg.cmd_name = "UNSPEC"
            msg.notes.append("payload cleared by the kernel before the capture copied it "
                             "(nl80211 wipes key-carrying requests such as NEW_KEY; an iwmon race)")
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
    sink = Sink()
    msg.attrs = decode_attrs(raw, 20, len(raw), "nl80211_attrs", msg.order, 0, sink)
    msg.payloads, msg.attr_problems = sink.payloads, sink.problems


def _decode_ctrl(msg: Message) -> None:
    decode_ctrl(msg, msg.raw, 20, len(msg.raw))


def _decode_rtnl(msg: Message) -> None:
    decode_rtnl(msg, msg.raw, 16, len(msg.raw))


def describe_errno(value: int) -> str:
    """'-52 EBADE (Invalid exchange)' style text for an NLMSG_ERROR errno."""
    if value == 0:
        return "0 (success)"
    code = -value if value < 0 else value
    if code > 4095:  # no kernel errno is this large (MAX_ERRNO); a corrupt message
        return f"{value} (not an errno)"
    return f"{value} {errno_name(value)} ({os.strerror(code)})"

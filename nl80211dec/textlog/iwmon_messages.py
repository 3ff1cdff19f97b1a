"""One printed iwmon message back to the netlink (or EAPoL) bytes it was decoded from.

What the header says is kept exactly (direction, command number, flags);
what iwmon does not print for nl80211 - sequence numbers, port ids, the
family id - is made up consistently, so the decoder's role tracker links each
Result, Response and Complete to the request it answers, as it would in a
pcap: requests get increasing sequence numbers, an answer takes the number of
the latest outstanding request of its command, events keep 0.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from ..link.cooked import ARPHRD_ETHER, ARPHRD_NETLINK, ETH_P_PAE, LINKTYPE_LINUX_SLL, LINKTYPE_NETLINK
from ..netlink.core import NLM_F_ACK, NLM_F_CAPPED, NLM_F_REQUEST, NLMSG_DONE
from ..nl80211 import enums
from . import encode
from .iwmon_attrs import TOP, Losses, build_attrs, hexdump_under
from .iwmon_lines import Block, Line

NL80211_ID = 0x1C  # any free generic-netlink id: the text never says which one it was
PROTO_ROUTE, PROTO_GENERIC = 0, 16
PKT_HOST, PKT_OUTGOING = 0, 4
OUTSTANDING = 256  # requests remembered for answers; bounds memory
ANSWER_WINDOW = 2.0  # seconds: a request older than this is answered only if nothing newer fits

# iwmon's words for the nlmsg flag bits (names depend on the command; the bits do not).
FLAG_WORDS = {"request": 0x1, "multi": 0x2, "ack": 0x4, "echo": 0x8, "dump-intr": 0x10, "dump-filtered": 0x20,
              "root": 0x100, "match": 0x200, "atomic": 0x400, "dump": 0x300, "replace": 0x100,
              "excl": 0x200, "create": 0x400, "append": 0x800, "capped": 0x100, "ack-tlvs": 0x200}
STATUS = re.compile(r"^Status: .*?\((\d+)\)$|^Status: (-?\d+)$")
RTNL_ERROR = re.compile(r"^(?:ACK: (-?\d+)|Error: (-?\d+)(?: \(.*\))?)$")
HEADER_LINES = {"Flags": "flags", "Sequence number": "seq", "Port ID": "pid"}
HEADER_LINE = re.compile(r"^(Flags|Sequence number|Port ID): (\d+)")


def _answers() -> dict[int, tuple[int, ...]]:
    """Reply command -> the request commands it can answer (NEW_STATION answers GET_STATION)."""
    by_name = {name: num for num, name in enums.COMMANDS.items()}
    out: dict[int, tuple[int, ...]] = {}
    for num, name in enums.COMMANDS.items():
        if name.startswith("NEW_"):
            base = name[4:].removesuffix("_RESULTS")
            get = by_name.get("GET_" + base)
            if get is not None:
                out[num] = (num, get)
    return out


ANSWERS = _answers()


@dataclass(slots=True)
class Rebuilt:
    """The record bytes of one message, or why there are none."""

    linktype: int
    data: bytes
    short: bool = False  # fewer bytes rebuilt than iwmon's 'len' says


def parse_flags(words: str | None) -> int | None:
    """'ack,0x300' -> 0x304; None when a word is not one iwmon prints."""
    flags = 0
    for word in (words or "").split(","):
        word = word.strip()
        if not word:
            continue
        if word.startswith("0x"):
            try:
                flags |= int(word, 16)
            except ValueError:
                return None
        elif word in FLAG_WORDS:
            flags |= FLAG_WORDS[word]
        else:
            return None
    return flags


@dataclass(slots=True)
class _Request:
    seq: int
    cmd: int
    raw: bytes
    time: float


class MessageBuilder:
    """Rebuild messages in text order; keeps the outstanding requests answers refer to."""

    def __init__(self) -> None:
        self.losses = Losses()
        self._seq = 0
        self._requests: OrderedDict[int, _Request] = OrderedDict()  # by seq, oldest first
        self._rtnl: OrderedDict[int, bytes] = OrderedDict()  # RTNL request headers, by seq
        self.unmatched = 0
        self.zeroed = 0
        self.bodiless_rtnl = 0

    # -- dispatch --------------------------------------------------------
    def build(self, block: Block) -> Rebuilt | None:
        kind = block.head["kind"]
        if kind == "PAE":
            return self._pae(block)
        if kind == "RTNL":
            return self._rtnl_message(block)
        return self._genl(block)

    # -- nl80211 ---------------------------------------------------------
    def _genl(self, block: Block) -> Rebuilt | None:
        head = block.head
        kind, cmd, size = head["kind"], int(head["num"] or "0", 16), int(head["len"] or 0)
        flags = parse_flags(head["flags"])
        if flags is None or cmd > 255:
            return None
        if kind == "Request":
            return self._request(block, cmd, flags | NLM_F_REQUEST, size)
        if kind == "Response":
            return self._response(block, cmd, flags)
        if kind == "Complete":  # NLMSG_DONE ends the dump: nothing more answers that request
            req = self._answered(cmd, (cmd,), _time(block), close=True)
            seq = req.seq if req else self._fresh()
            return Rebuilt(LINKTYPE_NETLINK, _cooked_nl(encode.nlmsg(NLMSG_DONE, flags, seq, 0,
                                                                      encode.sint(0, "s32") or b"")))
        attrs = build_attrs(block.body, 0, TOP, self.losses)
        if kind == "Result":
            req = self._answered(cmd, ANSWERS.get(cmd, (cmd,)), _time(block))
            seq = req.seq if req else self._fresh()
        else:
            seq = 0
        raw = encode.genl(NL80211_ID, cmd, flags, seq, 0, attrs, version=1)
        return Rebuilt(LINKTYPE_NETLINK, _cooked_nl(raw), short=len(attrs) != size)

    def _request(self, block: Block, cmd: int, flags: int, size: int) -> Rebuilt:
        seq = self._fresh()
        if cmd == 0 and not block.body and size:
            # 'Unknown (0x00)' with nothing printed: the kernel had zeroed the request
            # (NL80211_FLAG_CLEAR_SKB) before iwmon copied it; iwmon printed no attribute
            # because the first attribute header was zero.
            self.zeroed += 1
            raw = encode.nlmsg(NL80211_ID, flags, seq, 0, bytes(4 + size))
            short = False
        else:
            attrs = build_attrs(block.body, 0, TOP, self.losses)
            raw = encode.genl(NL80211_ID, cmd, flags, seq, 0, attrs, version=0)
            short = len(attrs) != size
        self._requests[seq] = _Request(seq, cmd, raw, _time(block))
        if len(self._requests) > OUTSTANDING:
            self._requests.popitem(last=False)
        return Rebuilt(LINKTYPE_NETLINK, _cooked_nl(raw), short=short)

    def _response(self, block: Block, cmd: int, flags: int) -> Rebuilt | None:
        errno = _status(block.body)
        if errno is None:
            return None
        req = self._answered(cmd, (cmd,), _time(block), close=True)
        if req is None:
            self.unmatched += 1
            echo = encode.genl(NL80211_ID, cmd, NLM_F_REQUEST | NLM_F_ACK, self._fresh(), 0, b"", version=0)
        else:
            echo = req.raw
        if flags & NLM_F_CAPPED:
            echo = echo[:16]
        seq = encode.NlMsgHdr.parse(echo[:16]).seq
        return Rebuilt(LINKTYPE_NETLINK, _cooked_nl(encode.nlerror(-errno, echo, flags, seq, 0)))

    def _answered(self, cmd: int, request_cmds: tuple[int, ...], now: float, *,
                  close: bool = False) -> _Request | None:
        """The outstanding request an answer belongs to.

        The oldest request of the command sent within ANSWER_WINDOW seconds
        (two daemons asking the same thing are answered in order), else the
        latest one of the command, else the latest zeroed request (command 0,
        wiped by the kernel: iwmon itself prints its Response as 'Unknown (0x00)').
        """
        for wanted in (request_cmds, (0,)):
            found = [req for req in self._requests.values() if req.cmd in wanted]
            if not found:
                continue
            recent = [req for req in found if now - ANSWER_WINDOW <= req.time <= now]
            req = recent[0] if recent else found[-1]
            if close:
                del self._requests[req.seq]
            return req
        return None

    def _fresh(self) -> int:
        self._seq += 1
        return self._seq

    # -- rtnetlink ---------------------------------------------------------
    def _rtnl_message(self, block: Block) -> Rebuilt | None:
        head = block.head
        msg_type, size = int(head["num"] or "0", 16), int(head["len"] or 0)
        fields = _header_fields(block.body)
        if "seq" not in fields:
            return None
        flags = fields.get("flags")
        if flags is None:
            flags = parse_flags(head["flags"])
        if flags is None:
            return None
        seq, pid = fields["seq"], fields.get("pid", 0)
        rest = [line for line in block.body if not HEADER_LINE.match(line.text)]
        if msg_type == 2:  # NLMSG_ERROR
            errno = _rtnl_errno(rest)
            if errno is None:
                return None
            echo = self._rtnl.get(seq) or encode.nlmsg(0, NLM_F_REQUEST, seq, 0, b"")
            if flags & NLM_F_CAPPED:
                echo = echo[:16]
            return Rebuilt(LINKTYPE_NETLINK, _cooked_nl(encode.nlerror(errno, echo, flags, seq, pid), PROTO_ROUTE))
        if msg_type == NLMSG_DONE:
            status = _status(rest) or 0
            body = encode.sint(status, "s32") or b""
            return Rebuilt(LINKTYPE_NETLINK, _cooked_nl(encode.nlmsg(msg_type, flags, seq, pid, body), PROTO_ROUTE))
        if flags & NLM_F_REQUEST:
            self._rtnl[seq] = encode.nlmsg(msg_type, flags, seq, pid, bytes(size))[:16]
            if len(self._rtnl) > OUTSTANDING:
                self._rtnl.popitem(last=False)
        rtnl_body = _rtnl_body(msg_type, rest)
        if rtnl_body is None:
            self.bodiless_rtnl += 1
            return None
        raw = encode.nlmsg(msg_type, flags, seq, pid, rtnl_body)
        return Rebuilt(LINKTYPE_NETLINK, _cooked_nl(raw, PROTO_ROUTE), short=len(rtnl_body) != size)

    # -- EAPoL ---------------------------------------------------------------
    def _pae(self, block: Block) -> Rebuilt | None:
        size = int(block.head["len"] or 0)
        for i, line in enumerate(block.body):
            if line.level == 0 and line.text.startswith("EAPoL: len"):
                data = hexdump_under(_below(block.body, i), 0)
                if len(data) != size:
                    return None
                pkttype = PKT_OUTGOING if block.head["dir"] == "<" else PKT_HOST
                return Rebuilt(LINKTYPE_LINUX_SLL,
                               encode.cooked(data, hatype=ARPHRD_ETHER, protocol=ETH_P_PAE, pkttype=pkttype))
        return None


def _time(block: Block) -> float:
    return float(block.head["ts"] or 0.0)


def _below(lines: list[Line], i: int) -> list[Line]:
    level = lines[i].level
    out = []
    for line in lines[i + 1:]:
        if line.level <= level:
            break
        out.append(line)
    return out


def _cooked_nl(raw: bytes, protocol: int = PROTO_GENERIC) -> bytes:
    return encode.cooked(raw, hatype=ARPHRD_NETLINK, protocol=protocol)


def _status(body: list[Line]) -> int | None:
    """'Status: Invalid exchange (52)' -> 52; 'Status: 0' -> 0."""
    for line in body:
        m = STATUS.match(line.text)
        if m:
            return int(m.group(1) or m.group(2))
    return None


def _rtnl_errno(body: list[Line]) -> int | None:
    for line in body:
        m = RTNL_ERROR.match(line.text)
        if m:
            value = int(m.group(1) or m.group(2))
            return value if value <= 0 else -value
    return None


def _header_fields(body: list[Line]) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in body:
        m = HEADER_LINE.match(line.text)
        if m and line.level == 0:
            out[HEADER_LINES[m.group(1)]] = int(m.group(2))
    return out


IFLA = re.compile(r"^IFLA (Family|Type|Index|ChangeMask|Flags): (?:\((0x[0-9a-f]+)\).*|(\S+))$")
IFA = re.compile(r"^IFA (Family|Prefixlen|Index|Scope|Flags): (?:\((0x[0-9a-f]+)\).*|(\S+))$")
FAMILIES = {"Unknown": 0, "AF_UNSPEC": 0, "AF_INET": 2, "AF_INET6": 10}
SCOPES = {"global": 0, "site": 200, "link": 253, "host": 254, "nowhere": 255}


def _rtnl_body(msg_type: int, body: list[Line]) -> bytes | None:
    """The fixed header of a link or address message from its printed fields (attributes are not rebuilt)."""
    pattern = IFLA if 16 <= msg_type <= 19 else IFA if 20 <= msg_type <= 22 else None
    if pattern is None:
        return None
    fields: dict[str, int] = {}
    for line in body:
        m = pattern.match(line.text) if line.level == 0 else None
        if m is None:
            continue
        name, hexval, word = m.groups()
        if hexval is not None:
            fields[name] = int(hexval, 16)
        elif word in FAMILIES:
            fields[name] = FAMILIES[word]
        elif word in SCOPES and name == "Scope":
            fields[name] = SCOPES[word]
        elif word.lstrip("-").isdigit():
            fields[name] = int(word)
    if pattern is IFLA:
        if set(fields) != {"Family", "Type", "Index", "ChangeMask", "Flags"}:
            return None
        return (bytes([fields["Family"], 0]) + (encode.uint(fields["Type"], 2) or b"")
                + (encode.sint(fields["Index"], "s32") or b"") + (encode.uint(fields["Flags"], 4) or b"")
                + (encode.uint(fields["ChangeMask"], 4) or b""))
    if set(fields) != {"Family", "Prefixlen", "Index", "Scope", "Flags"}:
        return None
    return bytes([fields["Family"], fields["Prefixlen"], fields["Flags"] & 0xFF, fields["Scope"]]) + (
        encode.uint(fields["Index"], 4) or b"")

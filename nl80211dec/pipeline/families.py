"""Which generic-netlink id is nl80211, when the capture never says.

Family ids are handed out at boot; a capture started after the daemons
resolved them has no NEWFAMILY naming nl80211.  :class:`FamilyGuess` holds
the messages of an unnamed id (bounded, order kept) while it gathers
evidence (:func:`~nl80211dec.nl80211.evidence.nl80211_evidence`) and decides
per id: assume nl80211 after enough consistent messages, refuse at the first
contradiction.  Every step is O(1) per message: only the id of the message at
hand is looked at, and held messages leave from the front.
"""

from __future__ import annotations

from collections import deque

from ..netlink.genl import GENL_ID_CTRL, FamilyMap
from ..netlink.message import Message
from ..nl80211.evidence import nl80211_evidence

HOLD_LIMIT = 512  # messages held at most while a family id is undecided
ASSUME_AFTER = 4  # consistent nl80211-shaped messages needed to assume the id
ASSUME_AT_END = 2  # ...or this many when the capture ends first (or the hold is full)
MAX_UNDECIDED = 1024  # ids gathering evidence at once; more are refused at once (counted)
NOTED_IDS = 16  # refused ids named in the summary note; the rest are counted


def family_id_of(msg: Message) -> int | None:
    """The generic-netlink id a message belongs to (an ACK/error: the id it echoes)."""
    if msg.protocol != "generic":
        return None
    if msg.nl_type >= 16:
        return msg.nl_type
    if msg.error is not None and msg.error.echo_type is not None and msg.error.echo_type >= 16:
        return msg.error.echo_type
    return None


class FamilyGuess:
    """Hold messages of undecided ids; release them, in order, once their id is decided."""

    def __init__(self, families: FamilyMap, assume: bool) -> None:
        self.families = families
        self.assume = assume
        self.refused: set[int] = set()
        self.refused_over_limit = 0
        self.taken: dict[int, int] = {}  # refused because nl80211 already has an id: fid -> that id
        self._evidence: dict[int, list[int]] = {}  # undecided id -> [consistent, contradicting]
        self._held: deque[tuple[Message, int | None]] = deque()

    def decided(self, fid: int | None) -> bool:
        return fid is None or not self.assume or self.families.known(fid) or fid in self.refused

    def offer(self, msg: Message) -> list[Message]:
        """Take one message; return those now ready, in capture order."""
        fid = family_id_of(msg)
        if not self.decided(fid):
            assert fid is not None
            self._observe(msg, fid)
        if not self._held and self.decided(fid):
            return [msg]
        self._held.append((msg, fid))
        if len(self._held) >= HOLD_LIMIT:
            self._decide_all(final=True)
        return self._release()

    def flush(self) -> list[Message]:
        """The capture ended: decide every id with what was seen, release everything."""
        self._decide_all(final=True)
        return self._release()

    def _observe(self, msg: Message, fid: int) -> None:
        ev = self._evidence.get(fid)
        if ev is None:
            if len(self._evidence) >= MAX_UNDECIDED:
                self.refused.add(fid)
                self.refused_over_limit += 1
                return
            ev = self._evidence[fid] = [0, 0]
        if msg.nl_type >= 16 and msg.problem is None:
            score = nl80211_evidence(msg.raw, msg.order)
            if score > 0:
                ev[0] += 1
            elif score < 0:
                ev[1] += 1
        good, bad = ev
        if bad or good >= ASSUME_AFTER:
            self._decide(fid, final=False)

    def _decide(self, fid: int, final: bool) -> None:
        good, bad = self._evidence.pop(fid, (0, 0))
        if self.families.known(fid) or fid in self.refused:
            return
        named = self.families.family_for_name("nl80211")
        if not bad and (good >= ASSUME_AFTER or (final and good >= ASSUME_AT_END)):
            if named is None:
                self.families.assumed[fid] = "nl80211"
                return
            self.taken[fid] = named
        self.refused.add(fid)

    def _decide_all(self, final: bool) -> None:
        for fid in list(self._evidence):
            self._decide(fid, final)

    def _release(self) -> list[Message]:
        out = []
        held = self._held
        while held and self.decided(held[0][1]):
            out.append(held.popleft()[0])
        return out

    def notes(self) -> list[str]:
        """What the summary says about assumed and refused ids."""
        out = []
        for fid, name in self.families.assumed.items():
            out.append(f"generic netlink id {fid:#x} was assumed to be {name}: the capture has no NEWFAMILY "
                       f"naming it and its messages decode cleanly as {name} (use --family {name}={fid:#x} to say so)")
        for fid, named in sorted(self.taken.items()):
            out.append(f"generic netlink id {fid:#x} looks like nl80211, but nl80211 is already id {named:#x} "
                       "(--family or the capture's NEWFAMILY); its messages are shown undecoded")
        refused = sorted(self.refused - {GENL_ID_CTRL} - set(self.taken))
        if len(refused) == 1:
            out.append(f"generic netlink id {refused[0]:#x} is not named in the capture and does not look like "
                       "nl80211; its messages are shown undecoded")
        elif refused:
            shown = ", ".join(f"{fid:#x}" for fid in refused[:NOTED_IDS])
            more = f" and {len(refused) - NOTED_IDS} more" if len(refused) > NOTED_IDS else ""
            out.append(f"generic netlink ids {shown}{more} are not named in the capture and do not look like "
                       "nl80211; their messages are shown undecoded")
        return out

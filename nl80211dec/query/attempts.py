"""Which connection attempts a message belongs to (the filter's ``attempt`` and ``verdict`` fields).

Built from the attempts of a first pass; the sequencer is not touched.  A
message belongs to attempt N when

* attempt N cites it (a ladder step, an SAE frame, its start, end or ending,
  a claim, finding or candidate), or
* it lies between the attempt's first and last message on the attempt's
  interface (IFINDEX), e.g. the keys installed, station polls, or
* it answers (ACK, reply, error) or duplicates a message that belongs to N.

Messages must be asked about in capture order (answers follow requests).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from ..netlink.message import Message
from ..sequence.attempt import Attempt


def cited(a: Attempt) -> set[int]:
    """The message indexes attempt ``a`` names anywhere in its evidence."""
    out = {s.index for s in a.steps if s.source is None}
    out.update(f.index for f in a.sae)
    for group in (a.claims, a.findings, a.candidates):
        for item in group:
            out.update(item.refs)
    out.update(i for i in (a.start_index, a.end_index, a.first_divergence,
                           a.ending.index if a.ending is not None else None) if i is not None)
    return out


class AttemptIndex:
    """Message index -> attempt numbers, for attempts that are already known."""

    def __init__(self, attempts: Iterable[Attempt]) -> None:
        # attempts rebuilt from a log alone cite log lines, not messages
        self.attempts = sorted((a for a in attempts if getattr(a, "source", None) is None),
                               key=lambda a: a.start_index)
        self.verdicts = {a.number: a.verdict for a in self.attempts}
        self._by_ifindex: dict[int, tuple[list[int], list[Attempt]]] = {}  # starts and attempts, by interface
        for a in self.attempts:
            if a.ifindex is not None:
                starts, same = self._by_ifindex.setdefault(a.ifindex, ([], []))
                starts.append(a.start_index)
                same.append(a)
        self._cited: dict[int, set[int]] = {}
        for a in self.attempts:
            for i in cited(a):
                self._cited.setdefault(i, set()).add(a.number)
        self._members: dict[int, frozenset[int]] = {}  # messages found to belong, for their answers
        self._last: tuple[int, frozenset[int]] = (-1, frozenset())

    def of(self, msg: Message) -> frozenset[int]:
        """The numbers of the attempts ``msg`` belongs to (empty: none)."""
        if msg.index == self._last[0]:
            return self._last[1]
        found = set(self._cited.get(msg.index, ()))
        ifindex = msg.value("IFINDEX")
        if ifindex is None:
            ifindex = msg.header_extra.get("ifindex")
        if ifindex in self._by_ifindex:
            starts, same = self._by_ifindex[ifindex]
            for a in same[:bisect_right(starts, msg.index)]:
                if a.end_index is None or msg.index <= a.end_index:
                    found.add(a.number)
        for earlier in (msg.reply_to, msg.duplicate_of):
            if earlier is not None:
                found.update(self._members.get(earlier, ()))
        result = frozenset(found)
        if result:
            self._members[msg.index] = result
        self._last = (msg.index, result)
        return result

    def verdicts_of(self, msg: Message) -> set[str]:
        return {self.verdicts[n] for n in self.of(msg)}

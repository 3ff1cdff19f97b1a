"""Let the sequencer see time pass while nothing arrives, so attempts that went silent are closed.

The sequencer is sans-IO: its clock is the last message's timestamp, and
it closes attempts silent for CLOSE_AFTER_S (sequence/state.py) when a
later message comes. A live capture can go quiet right after a failure;
without a tick its verdict would wait for the next message, or for the end.

Uses ``Session.tick(now)`` when the session has it; until then the same
three steps done here on the sequencer (move its clock on, close what is
silent, count the verdicts), which reach into two private methods: the
maintainer is asked to add the public form (see the report of this change).
"""

from __future__ import annotations

from ..sequence import Attempt
from ..session import Session


def tick(session: Session, now: float) -> list[Attempt]:
    """Attempts closed because they have been silent too long at ``now`` (capture clock)."""
    public = getattr(session, "tick", None)
    if public is not None:
        return public(now)
    seq = session.sequencer
    if seq is None or seq.now_time is None or now <= seq.now_time:
        return []
    seq.now_time = now
    return session._counted(seq._close_silent())  # noqa: SLF001 - until Session.tick exists

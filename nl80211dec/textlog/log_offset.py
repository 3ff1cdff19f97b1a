"""How far a log's clock is from a capture's: the median difference of moments both record.

The capture side is a list of ``(kind, time)`` pairs in this vocabulary's
words (an AUTHENTICATE or CMD_FRAME request carrying a commit is
``sae_commit_tx``, a CONNECT request ``connect_start`` ...), built by whoever
holds the capture; this module knows neither captures nor the sequencer.

Like the air join (``air/join.py``) the offset is a median of pairwise
differences, not an assumption.  Logs repeat themselves (five attempts, five
commits), so pairs are not taken in order: every same-kind pair proposes an
offset, the densest cluster of proposals wins, each event and point is used
at most once, and the median of that cluster is the answer.  A log stamped to
the second (``-o short``) is read as the middle of its second, with a
one-second window.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable

from .log_event import LogEvent

# Log kinds whose moment the capture shows too (the capture side uses the same words).
OFFSET_KINDS = frozenset({
    "sae_commit_tx", "sae_confirm_tx", "sae_commit_rx", "sae_confirm_rx",
    "connect_start", "auth_start", "assoc_start", "fw_connect", "connect_event", "connected",
    "external_auth_request", "external_auth_status", "external_auth_error",
    "assoc_reject", "auth_reject", "disconnected", "deauth_rx", "eapol_rx", "eapol_tx", "pmksa_to_driver",
})
WINDOW = 0.05  # seconds: how well a sub-second log and a capture agree on one moment
MAX_PAIRS = 200_000  # proposals considered; beyond this only the first events of each kind are used


def clock_offset(events: Iterable[LogEvent], capture_points: Iterable[tuple[str, float]], *,
                 window: float | None = None) -> tuple[float, int] | None:
    """(capture time minus log time, pairs it rests on), or None when no moment pairs up.

    Pass events of one daemon (its clock); events without a time are ignored,
    and when clocks are mixed only the most common one is used.
    """
    timed = [e for e in events if e.time is not None and e.kind in OFFSET_KINDS]
    if not timed:
        return None
    clock = Counter(e.clock for e in timed).most_common(1)[0][0]
    log_times = [(e.kind, float(e.time)) for e in timed if e.clock == clock]  # type: ignore[arg-type]
    whole_seconds = all(t == int(t) for _, t in log_times)
    if window is None:
        window = 1.0 + WINDOW if whole_seconds else WINDOW
    if whole_seconds:
        log_times = [(k, t + 0.5) for k, t in log_times]
    points: dict[str, list[float]] = {}
    for kind, t in capture_points:
        points.setdefault(kind, []).append(float(t))
    proposals = _proposals(log_times, points)
    if not proposals:
        return None
    best = _densest(proposals, window)
    used_log: set[int] = set()
    used_cap: set[tuple[str, int]] = set()
    centre = statistics.median(d for d, _, _ in best)
    kept = []
    for diff, log_index, cap_key in sorted(best, key=lambda p: abs(p[0] - centre)):
        if log_index in used_log or cap_key in used_cap:
            continue
        used_log.add(log_index)
        used_cap.add(cap_key)
        kept.append(diff)
    return statistics.median(kept), len(kept)


def _proposals(log_times: list[tuple[str, float]],
               points: dict[str, list[float]]) -> list[tuple[float, int, tuple[str, int]]]:
    out: list[tuple[float, int, tuple[str, int]]] = []
    for index, (kind, t) in enumerate(log_times):
        for cap_index, c in enumerate(points.get(kind, ())):
            out.append((c - t, index, (kind, cap_index)))
            if len(out) >= MAX_PAIRS:
                return out
    return out


def _densest(proposals: list[tuple[float, int, tuple[str, int]]],
             window: float) -> list[tuple[float, int, tuple[str, int]]]:
    """The proposals inside the window that holds the most distinct log events (then the tightest)."""
    ordered = sorted(proposals)
    best: tuple[int, float, int, int] = (0, 0.0, 0, 0)
    start = 0
    counts: Counter[int] = Counter()
    for end, (diff, log_index, _) in enumerate(ordered):
        counts[log_index] += 1
        while diff - ordered[start][0] > window:
            gone = ordered[start][1]
            counts[gone] -= 1
            if not counts[gone]:
                del counts[gone]
            start += 1
        score = (len(counts), -(diff - ordered[start][0]))
        if score > (best[0], best[1]):
            best = (score[0], score[1], start, end)
    return ordered[best[2]: best[3] + 1]

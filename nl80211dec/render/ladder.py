"""Attempts as ladders: supplicant · kernel/driver · AP, one arrow per step."""

from __future__ import annotations

from ..sequence.attempt import Attempt
from ..sequence.logwords import SHOWN_FACTS
from ..wire.text import escape_str, quoted

LANES = {"S": 0, "K": 1, "A": 2}
COL = 24  # characters between lane axes
NAMES = {"ap": ("station", "kernel", "AP (hostapd)")}


def _arrow(src: str, dst: str) -> str:
    a, b = LANES[src], LANES[dst]
    lo, hi = min(a, b), max(a, b)
    cells = []
    for lane in range(3):
        cells.append("|" if lane < lo or lane > hi else "+")
    line = ""
    for lane in range(3):
        ch = cells[lane]
        line += ch
        if lane < 2:
            inside = lo <= lane < hi
            seg = ("-" * (COL - 1)) if inside else " " * (COL - 1)
            line += seg
    # arrow head
    pos = LANES[dst] * COL
    chars = list(line)
    if a < b:
        chars[pos - 1] = ">"
    elif a > b:
        chars[pos + 1] = "<"
    return "".join(chars)


def ladder_lines(a: Attempt, capture_start: float | None = None) -> list[str]:
    """The ladder of one attempt; times are relative to the attempt's first step."""
    t0 = a.start_time
    left, mid, right = NAMES.get(a.mode, ("supplicant", "kernel/driver", "AP"))
    who = f"{a.station or '?'} -> {a.ap or '?'}"
    when = f" at +{a.start_time - capture_start:.3f} s" if capture_start is not None else ""
    lines = [f"Attempt {a.number} [{a.mode}] ifindex {a.ifindex} {who} SSID {quoted(a.ssid)} "
             f"freq {a.freq or '?'}{when}: {a.verdict.upper()}",
             f"{left:<{COL}}{mid:<{COL}}{right}"]
    for s in a.steps:
        mark = f" [{s.mark}]" if s.mark else ""
        div = "  <== first divergence" if s.index == a.first_divergence else ""
        where = f"line {s.index}" if a.source is not None else f"#{s.index}"
        lines.append(f"{_arrow(s.src, s.dst)}  {s.text}{mark}  {where} +{(s.time - t0) * 1000:.1f}ms{div}")
    if a.steps_dropped:
        lines.append(f"... {a.steps_dropped} more steps not kept (bounded)")
    ending = a.ending.kind if a.ending is not None else "open"
    lines.append(f"Verdict: {a.verdict} - {a.title}  (stage: {a.stage}; ended: {ending}"
                 + (f"; same exchange as attempt {a.linked}" if a.linked is not None else "") + ")")
    for claim in a.claims:
        sure = "" if claim.certainty == "certain" else f" [{claim.certainty}]"
        lines.append(f"  {claim.text}{sure}")
    if a.candidates:
        lines.append("  What the capture cannot settle - possible causes:")
        for cand in a.candidates:
            lines.append(f"    - [{cand.certainty}] {cand.cause} (supported by: {cand.support}; to tell: "
                         f"{cand.tell_apart})")
    cite = "line " if a.source is not None else "#"
    for f in a.findings:
        lines.append(f"  Finding ({f.id}): {f.text}" + (f" [{', '.join(f'{cite}{i}' for i in f.refs[:6])}]" if f.refs
                                                        else ""))
    shown = [s for s in a.logs if s.facts is not None and s.facts.get("kind") in SHOWN_FACTS]
    for s in shown[:20]:
        lines.append(f"  log {escape_str(s.source or '')}:{s.line}: {escape_str(s.text)}")
    if len(shown) > 20:
        lines.append(f"  ... {len(shown) - 20} more log lines about this attempt (--json has them all)")
    if a.advice:
        lines.append(f"  What to try: {a.advice}")
    if a.pmkid_check:
        c = a.pmkid_check
        lines.append(f"  PMKID from the SAE scalars: {c['expected']}"
                     + (f"; seen {c['seen']} ({'match' if c['match'] else 'MISMATCH'})" if c.get("seen") else ""))
    if a.air is not None:
        ours = a.air["our_sae"]
        lines.append(f"  on air: our SAE frames sent {sum(x['on_air'] for x in ours)} time(s), "
                     f"{sum(x['acked'] for x in ours)} ACKed; AP SAE frames on air "
                     f"{len(a.air['peer_sae_on_air'])}, never delivered {len(a.air['peer_sae_undelivered'])}")
    t = a.timings()
    if t:
        lines.append("  timings (ms): " + ", ".join(f"{k} {v}" for k, v in t.items()))
    return lines

"""Compare the connection attempts of two captures: where does the bad one differ?

"Works with iwctl, fails with connmanctl": the two captures share almost
everything, so the useful answer is the *first meaningful difference* - in
what was asked (CONNECT/AUTHENTICATE attributes), in what happened (a commit
missing, another group, an error where the other had an ACK), in the outcome.
Timestamps, cookies, nonces, sequence numbers and port ids are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .sequence.attempt import Attempt

# What each step of an attempt looks like once everything volatile is removed.
_REQUEST_FACTS = ("pmkid_offered", "mode", "ssid", "auth_type", "akm")  # the most telling first


@dataclass
class Difference:
    where: str
    good: Any
    bad: Any
    meaning: str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "difference", "where": self.where, "good": self.good, "bad": self.bad,
                "meaning": self.meaning}

    def text(self) -> str:
        return f"{self.where}: good {self.good!r}, bad {self.bad!r}\n  {self.meaning}"


MEANINGS = {
    "pmkid_offered": ("the failing attempt offered a cached PMKID (PMKSA caching) where the working one ran SAE "
                      "from scratch; with FullMAC external auth the firmware still asks for SAE"),
    "auth_type": "the two supplicants asked for different authentication types",
    "akm": "the two supplicants asked for different AKMs",
    "mode": "the two attempts took different paths through the kernel (e.g. external auth vs. driver SAE)",
    "ssid": "the two captures are about different networks",
}


def _shape(a: Attempt) -> list[tuple[str, str]]:
    """The attempt's steps as (lane arrow, text) without numbers that change between runs."""
    return [(f"{s.src}->{s.dst}", f"{s.text} {s.mark}".strip()) for s in a.steps]


def diff_attempts(good: list[Attempt], bad: list[Attempt]) -> list[Difference]:
    """Differences between the first station attempt that failed in ``bad`` and its counterpart in ``good``."""
    stations_good = [a for a in good if a.mode not in ("ap",)]
    stations_bad = [a for a in bad if a.mode not in ("ap",)]
    if not stations_bad or not stations_good:
        return [Difference("attempts", len(stations_good), len(stations_bad),
                           "one capture has no station attempt to compare")]
    b = next((a for a in stations_bad if a.verdict != "ok"), stations_bad[0])
    g = next((a for a in stations_good if a.ssid == b.ssid and a.mode == b.mode), None) or \
        next((a for a in stations_good if a.ssid == b.ssid), stations_good[0])
    out: list[Difference] = []
    for fact in _REQUEST_FACTS:
        gv, bv = getattr(g, fact), getattr(b, fact)
        if gv != bv:
            out.append(Difference(f"request: {fact}", gv, bv, MEANINGS[fact]))
    if g.groups_tried != b.groups_tried:
        out.append(Difference("SAE groups tried", g.groups_tried, b.groups_tried,
                              "the failing attempt never sent an SAE commit" if not b.groups_tried else
                              "the SAE exchange used different finite cyclic groups"))
    gs, bs = _shape(g), _shape(b)
    for i, (gstep, bstep) in enumerate(zip(gs, bs)):  # noqa: B905 - lengths differ on purpose
        if gstep != bstep:
            out.append(Difference(f"step {i + 1}", " ".join(gstep), " ".join(bstep),
                                  "the first step where the two attempts part ways"))
            break
    else:
        if len(gs) != len(bs):
            i = min(len(gs), len(bs))
            out.append(Difference(f"step {i + 1}", " ".join(gs[i]) if i < len(gs) else "(nothing)",
                                  " ".join(bs[i]) if i < len(bs) else "(nothing)",
                                  "one attempt goes on where the other stops"))
    if g.verdict != b.verdict:
        out.append(Difference("verdict", g.verdict, b.verdict, b.explanation))
    return out

"""HTML for notebooks: messages as collapsible trees, attempts as SVG ladders.

Every string that came from a capture (SSIDs above all) goes through
``html.escape``: a hostile capture must not inject markup into a notebook.
The ladder's rows are spaced by the time between steps (a long wait is
compressed to a fixed height and marked with its length), labels never run
into the time column, and the lanes are named for the attempt's side (the
AP's own attempts have hostapd on the right).
"""

from __future__ import annotations

from html import escape

from ..netlink.message import Attr, Message
from ..sequence.attempt import Attempt, Step
from ..wire.text import escape_str
from .ladder import NAMES
from .text import _value_text, header_line

LANE_X = {"S": 190, "K": 470, "A": 750}
WIDTH = 900
TIME_X = 8  # the time column: "#967 +13.5 ms", left of the first lane
TOP = 70
ROW = 24  # the least distance between two steps: one label high
PX_PER_MS = 0.8  # and one more pixel per this many ms
GAP_MS = 80.0  # a wait longer than this is drawn GAP_PX high and marked with its length
GAP_PX = int(GAP_MS * PX_PER_MS) + 16  # taller than any wait drawn to scale: the order of heights is kept
CHAR_PX = 6.6  # average width of a 12 px sans-serif character, to keep labels inside the picture
SHORT_BINARY = 32  # binary values up to this many bytes are shown in hex in the tree
VERDICT_COLOURS = {"ok": "#1b7f3b"}


def _value_html(a: Attr) -> str:
    text = _value_text(a)
    if a.kind == "binary" and a.value is None and a.problem is None and 0 < len(a.raw) <= SHORT_BINARY:
        text = f"{a.raw.hex()} ({len(a.raw)} bytes)"
    return escape(text)


def _attr_html(a: Attr) -> str:
    label = f"<code>{escape(a.name)}</code> ({a.num}): {_value_html(a)}"
    if a.note:
        label += f'<br><em class="nl80211dec-note">note: {escape(escape_str(a.note))}</em>'
    inner = []
    if a.decoded is not None and hasattr(a.decoded, "text_lines"):
        inner.append("<pre>" + escape("\n".join(a.decoded.text_lines(""))) + "</pre>")
    if a.children:
        inner.append("<ul>" + "".join(f"<li>{_attr_html(c)}</li>" for c in a.children) + "</ul>")
    if not inner:
        return label
    return f"<details><summary>{label}</summary>{''.join(inner)}</details>"


def message_html(msg: Message) -> str:
    head = escape(header_line(msg, msg.timestamp).rsplit(None, 1)[0])
    notes = "".join(f"<li><em>{escape(escape_str(n))}</em></li>" for n in msg.notes)
    if msg.problem:
        notes += f"<li><strong>MALFORMED</strong>: {escape(escape_str(msg.problem))}</li>"
    attrs = "".join(f"<li>{_attr_html(a)}</li>" for a in msg.attrs)
    return (f'<details class="nl80211dec-message"><summary><code>#{msg.index}</code> {head}</summary>'
            f"<ul>{notes}{attrs}</ul></details>")


def row_positions(steps: list[Step]) -> tuple[list[float], list[tuple[float, float]]]:
    """The y of each step, spaced by time, and the compressed gaps as (y of the mark, ms skipped)."""
    ys: list[float] = []
    gaps: list[tuple[float, float]] = []
    y = float(TOP)
    for i, s in enumerate(steps):
        if i:
            ms = (s.time - steps[i - 1].time) * 1000
            if ms > GAP_MS:
                gaps.append((y + (ROW + GAP_PX) / 2, ms))
                y += ROW + GAP_PX
            else:
                y += ROW + max(0.0, ms) * PX_PER_MS
        ys.append(y)
    return ys, gaps


def _label_x(x1: int, x2: int, label: str) -> tuple[float, str]:
    """Centred over the arrow when it fits, else from the arrow's left end rightwards (never over the times)."""
    left, right = min(x1, x2), max(x1, x2)
    width = len(label) * CHAR_PX
    if x1 == x2:
        return left + 8, "start"
    if width <= right - left - 8:
        return (left + right) / 2, "middle"
    return left + 6, "start"


def attempt_svg(a: Attempt) -> str:
    ys, gaps = row_positions(a.steps)
    height = int((ys[-1] if ys else TOP) + ROW + 10)
    labels = [s.text + (f" [{s.mark}]" if s.mark else "") for s in a.steps]
    widest = max([LANE_X[s.dst if LANE_X[s.dst] < LANE_X[s.src] else s.src] + 6 + len(lab) * CHAR_PX
                  for s, lab in zip(a.steps, labels, strict=True)] + [WIDTH])
    width = int(widest + 10)
    names = dict(zip(LANE_X, NAMES.get(a.mode, ("supplicant", "kernel / driver", "AP")), strict=True))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             'font-family="sans-serif" font-size="12">',
             "<defs>" + "".join(
                 f'<marker id="{mid}" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto" '
                 f'markerUnits="userSpaceOnUse"><path d="M0,0 L10,4 L0,8 z" fill="{fill}"/></marker>'
                 for mid, fill in (("arrow", "#333"), ("arrow-red", "#c62828"))) + "</defs>"]
    for lane, x in LANE_X.items():
        parts.append(f'<text x="{x}" y="30" text-anchor="middle" font-weight="bold">{escape(names[lane])}</text>')
        parts.append(f'<line x1="{x}" y1="40" x2="{x}" y2="{height - 10}" stroke="#999" stroke-dasharray="4 3"/>')
    for y, ms in gaps:
        parts.append(f'<rect x="{LANE_X["S"] - 30}" y="{y - 7}" width="{LANE_X["A"] - LANE_X["S"] + 60}" '
                     'height="14" fill="#fff" stroke="none"/>')
        parts.append(f'<path d="M{LANE_X["S"] - 30},{y} l10,-5 l10,10 l10,-5" stroke="#999" fill="none"/>')
        parts.append(f'<text x="{LANE_X["S"] + 6}" y="{y + 4}" fill="#888" font-style="italic">'
                     f"{_gap_words(ms)}</text>")
    for s, y, label in zip(a.steps, ys, labels, strict=True):
        x1, x2 = LANE_X[s.src], LANE_X[s.dst]
        diverged = s.index == a.first_divergence
        colour = "#c62828" if diverged or s.mark in ("error", "!", "no ACK") else "#333"
        marker = "arrow-red" if colour != "#333" else "arrow"
        stroke = 3 if diverged else 1.5
        parts.append(f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{colour}" stroke-width="{stroke}" '
                     f'marker-end="url(#{marker})"/>')
        lx, anchor = _label_x(x1, x2, label)
        weight = ' font-weight="bold"' if diverged else ""
        parts.append(f'<text x="{lx}" y="{y - 5}" text-anchor="{anchor}" fill="{colour}"{weight}>'
                     f"{escape(escape_str(label))}</text>")
        where = f"line {s.index}" if getattr(a, "source", None) is not None else f"#{s.index}"
        parts.append(f'<text x="{TIME_X}" y="{y + 4}" fill="#666">{where} +{(s.time - a.start_time) * 1000:.1f} ms'
                     "</text>")
    parts.append("</svg>")
    return "".join(parts)


def _gap_words(ms: float) -> str:
    return f"… {ms / 1000:.1f} s later" if ms >= 1000 else f"… {ms:.0f} ms later"


def attempt_html(a: Attempt) -> str:
    colour = VERDICT_COLOURS.get(a.verdict, "#c62828")
    who = f"{a.station or '?'} → {a.ap or '?'}"
    ssid = f", SSID <code>{escape(escape_str(a.ssid))}</code>" if a.ssid is not None else ""
    advice = f"<p><strong>What to try:</strong> {escape(a.advice)}</p>" if a.advice else ""
    return (f'<div class="nl80211dec-attempt" style="border-left:4px solid {colour};padding-left:8px">'
            f"<p><strong>Attempt {a.number}</strong> [{escape(a.mode)}] {escape(who)}{ssid}: "
            f"<strong style=\"color:{colour}\">{escape(a.verdict)}</strong>"
            f" — {escape(a.title)}</p>{attempt_svg(a)}<p>{escape(a.explanation)}</p>{advice}</div>")


def install() -> None:
    """Give messages and attempts their notebook representation (called by the API layer)."""
    Message._repr_html_ = message_html  # type: ignore[attr-defined]
    Attempt._repr_html_ = attempt_html  # type: ignore[attr-defined]

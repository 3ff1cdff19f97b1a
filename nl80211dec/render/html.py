"""HTML for notebooks: messages as collapsible trees, attempts as SVG ladders.

Every string that came from a capture (SSIDs above all) goes through
``html.escape``: a hostile capture must not inject markup into a notebook.
"""

from __future__ import annotations

from html import escape

from ..netlink.message import Attr, Message
from ..sequence.attempt import Attempt
from ..wire.text import escape_str
from .text import _value_text, header_line

LANE_X = {"S": 130, "K": 430, "A": 730}
LANE_NAMES = {"S": "supplicant", "K": "kernel / driver", "A": "AP"}
ROW = 30
TOP = 70
VERDICT_COLOURS = {"ok": "#1b7f3b"}


def _attr_html(a: Attr) -> str:
    label = f"<code>{escape(a.name)}</code> ({a.num}): {escape(_value_text(a))}"
    if a.note:
        label += f' <em title="{escape(a.note)}">note</em>'
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


def attempt_svg(a: Attempt) -> str:
    height = TOP + ROW * (len(a.steps) + 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="880" height="{height}" '
             'font-family="sans-serif" font-size="12">',
             "<defs>" + "".join(
                 f'<marker id="{mid}" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto" '
                 f'markerUnits="userSpaceOnUse"><path d="M0,0 L10,4 L0,8 z" fill="{fill}"/></marker>'
                 for mid, fill in (("arrow", "#333"), ("arrow-red", "#c62828"))) + "</defs>"]
    for lane, x in LANE_X.items():
        parts.append(f'<text x="{x}" y="30" text-anchor="middle" font-weight="bold">{LANE_NAMES[lane]}</text>')
        parts.append(f'<line x1="{x}" y1="40" x2="{x}" y2="{height - 10}" stroke="#999" stroke-dasharray="4 3"/>')
    for i, s in enumerate(a.steps):
        y = TOP + i * ROW
        x1, x2 = LANE_X[s.src], LANE_X[s.dst]
        diverged = s.index == a.first_divergence
        colour = "#c62828" if diverged or s.mark in ("error", "!", "no ACK") else "#333"
        marker = "arrow-red" if colour != "#333" else "arrow"
        width = 3 if diverged else 1.5
        parts.append(f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{colour}" stroke-width="{width}" '
                     f'marker-end="url(#{marker})"/>')
        label = s.text + (f" [{s.mark}]" if s.mark else "")
        mid = (x1 + x2) / 2 if x1 != x2 else x1 + 60
        weight = ' font-weight="bold"' if diverged else ""
        parts.append(f'<text x="{mid}" y="{y - 5}" text-anchor="middle" fill="{colour}"{weight}>'
                     f"{escape(label)}</text>")
        parts.append(f'<text x="8" y="{y + 4}" fill="#666">#{s.index} +{(s.time - a.start_time) * 1000:.1f} ms'
                     "</text>")
    parts.append("</svg>")
    return "".join(parts)


def attempt_html(a: Attempt) -> str:
    colour = VERDICT_COLOURS.get(a.verdict, "#c62828")
    who = f"{a.station or '?'} → {a.ap or '?'}"
    advice = f"<p><strong>What to try:</strong> {escape(a.advice)}</p>" if a.advice else ""
    return (f'<div class="nl80211dec-attempt" style="border-left:4px solid {colour};padding-left:8px">'
            f"<p><strong>Attempt {a.number}</strong> [{escape(a.mode)}] {escape(who)}, SSID "
            f"<code>{escape(str(a.ssid))}</code>: <strong style=\"color:{colour}\">{escape(a.verdict)}</strong>"
            f" — {escape(a.title)}</p>{attempt_svg(a)}<p>{escape(a.explanation)}</p>{advice}</div>")


def install() -> None:
    """Give messages and attempts their notebook representation (called by the API layer)."""
    Message._repr_html_ = message_html  # type: ignore[attr-defined]
    Attempt._repr_html_ = attempt_html  # type: ignore[attr-defined]

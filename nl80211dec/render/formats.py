"""Output formats as a table: the command line looks a format up and feeds it what a pass yields.

A format turns one message, one finished attempt and the summary into text;
it never decides what is shown (the command line filters) and never writes
into what it renders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import jsonl, text
from .ladder import ladder_lines

if TYPE_CHECKING:
    from ..netlink.message import Message
    from ..pipeline import Summary
    from ..sequence import Attempt


class TextFormat:
    """iwmon-like message trees, then ladders and verdicts, then the summary."""

    messages = True

    def __init__(self, full_hex: bool = False) -> None:
        self.full_hex = full_hex

    def header(self, path: str) -> str | None:
        return f"==> {path} <==\n"

    def message(self, msg: Message, t0: float) -> str:
        return "\n".join(text.message_lines(msg, t0, self.full_hex)) + "\n"

    def attempt(self, a: Attempt, t0: float | None) -> str:
        return "\n" + "\n".join(ladder_lines(a, capture_start=t0)) + "\n"

    def summary(self, summary: Summary, path: str | None) -> str:
        return "\n".join(text.summary_lines(summary)) + "\n"


class SaeFormat(TextFormat):
    """Only the attempts (ladders, verdicts) and the summary."""

    messages = False


class JsonFormat:
    """JSON lines: messages, then attempts, then the summary (docs/json.md)."""

    messages = True

    def __init__(self, full_hex: bool = False) -> None:
        pass

    def header(self, path: str) -> str | None:
        return None

    def message(self, msg: Message, t0: float) -> str:
        return jsonl.message_json(msg) + "\n"

    def attempt(self, a: Attempt, t0: float | None) -> str:
        return jsonl.dumps(a.as_dict()) + "\n"

    def summary(self, summary: Summary, path: str | None) -> str:
        d: dict[str, Any] = summary.as_dict()
        if path is not None:
            d["file"] = str(path)
        return jsonl.dumps(d) + "\n"


FORMATS: dict[str, type[TextFormat] | type[JsonFormat]] = {"text": TextFormat, "sae": SaeFormat,
                                                            "json": JsonFormat}

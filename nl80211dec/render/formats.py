"""Output formats as a table: the command line looks a format up and feeds it what a pass yields.

A format turns one message, one finished attempt and the summary into text;
it never decides what is shown (the command line filters) and never writes
into what it renders.  ``text`` is one line per message (tshark's default),
``verbose`` the full attribute trees (``-V``), ``sae`` only the attempts,
``json`` JSON lines, ``fields`` the ``-e`` columns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import jsonl, text
from .brief import brief_line
from .fields import FieldsFormat
from .labels import CLEARED_ANSWER_NOTE, answers_cleared
from .ladder import ladder_lines
from .options import Options
from .timefmt import WIDTHS, Clock, time_text

if TYPE_CHECKING:
    from ..netlink.message import Message
    from ..pipeline import Summary
    from ..query import Context
    from ..sequence import Attempt

class TextFormat:
    """One line per message (number, time, role, family, command, what identifies it), then the attempts."""

    messages = True

    def __init__(self, full_hex: bool = False, options: Options | None = None) -> None:
        self.full_hex = full_hex
        self.options = options or Options()
        self.clock: Clock | None = None  # set by the caller for -t d/dd; else times are relative to t0
        self.context: Context | None = None  # the filter's context, for formats that read fields

    def header(self, path: str) -> str | None:
        return self.options.paint("heading", f"==> {path} <==") + "\n"

    def when(self, msg: Message, t0: float) -> str:
        clock = Clock(first=t0) if self.clock is None else self.clock
        return time_text(self.options.time_format, msg.timestamp, clock)

    def message(self, msg: Message, t0: float) -> str:
        when = f"{self.when(msg, t0):>{WIDTHS.get(self.options.time_format, 0)}}"
        line = brief_line(msg, when, self.options.paint)
        return line + "\n" + self._hex(msg)

    def _hex(self, msg: Message) -> str:
        if not self.options.hexdump:
            return ""
        return "\n".join(text.offset_hexdump(msg.raw, "    ")) + "\n\n"

    def attempt(self, a: Attempt, t0: float | None) -> str:
        return "\n" + "\n".join(self._paint_ladder(a, ladder_lines(a, capture_start=t0))) + "\n"

    def _paint_ladder(self, a: Attempt, lines: list[str]) -> list[str]:
        paint = self.options.paint
        if not paint.on:
            return lines
        good = "ok" if a.verdict == "ok" else "bad"
        out = []
        for line in lines:
            if line.startswith(("Attempt ", "Verdict: ")):
                line = paint(good, line)
            elif "<== first divergence" in line:
                line = paint("divergence", line)
            out.append(line)
        return out

    def summary(self, summary: Summary, path: str | None) -> str:
        return "\n".join(text.summary_lines(summary)) + "\n"


class VerboseFormat(TextFormat):
    """iwmon-like message trees (``-V``), then ladders and verdicts, then the summary."""

    def message(self, msg: Message, t0: float) -> str:
        lines = text.message_lines(msg, t0, self.full_hex, when=self.when(msg, t0), paint=self.options.paint)
        return "\n".join(lines) + "\n" + self._hex(msg)


class SaeFormat(TextFormat):
    """Only the attempts (ladders, verdicts) and the summary."""

    messages = False


class JsonFormat:
    """JSON lines: messages, then attempts, then the summary (docs/json.md); ``file`` on each when several."""

    messages = True

    def __init__(self, full_hex: bool = False, options: Options | None = None) -> None:
        self.options = options or Options()
        self.clock: Clock | None = None
        self.context: Context | None = None
        self._file = "" if self.options.file is None else f'"file":{jsonl.dumps(str(self.options.file))},'

    def header(self, path: str) -> str | None:
        return None

    def message(self, msg: Message, t0: float) -> str:
        if answers_cleared(msg):
            d = jsonl.message_dict(msg)
            d["cmd"] = d["cmd_name"] = None
            d["notes"] = [*d.get("notes", ()), CLEARED_ANSWER_NOTE]
            return self._with_file(jsonl.dumps(d)) + "\n"
        return jsonl.message_json(msg, self._file, "\n")

    def _with_file(self, line: str) -> str:
        return "{" + self._file + line[1:] if self._file else line

    def attempt(self, a: Attempt, t0: float | None) -> str:
        return self._with_file(jsonl.dumps(a.as_dict())) + "\n"

    def summary(self, summary: Summary, path: str | None) -> str:
        d: dict[str, Any] = summary.as_dict()
        if path is not None or self.options.file is not None:
            d["file"] = str(path if path is not None else self.options.file)
        return jsonl.dumps(d) + "\n"


FORMATS: dict[str, Any] = {"text": TextFormat, "verbose": VerboseFormat, "sae": SaeFormat, "json": JsonFormat,
                           "fields": FieldsFormat}

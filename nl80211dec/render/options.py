"""How to render, beyond the format: the command line fills it from its options."""

from __future__ import annotations

from dataclasses import dataclass, field

from .colour import PLAIN, Paint


@dataclass
class Options:
    time_format: str = "r"  # -t, tshark's letters (timefmt.TIME_FORMATS)
    hexdump: bool = False  # -x: every message's bytes after it
    paint: Paint = PLAIN  # --color
    file: str | None = None  # JSON: the input every line comes from, when there are several
    fields: tuple[str, ...] = ()  # -e
    field_options: dict[str, str] = field(default_factory=dict)  # -E header=y, separator=, ...

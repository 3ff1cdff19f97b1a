"""The first line of an attribute as iwmon prints it: its label and value shape.

iwmon prints every attribute type its own way ("Label: 3 (0x00000003)",
"Label: len 7" and a hexdump, "Label: true", "MAC Address 02:00:..."), so the
shape alone says a lot about the bytes: the hex width of an integer is its
size, ``Label: 260 len 4`` names the attribute number itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (shape, pattern): the first that matches wins; the label is group 1.
SHAPES = (
    ("unspec", re.compile(r"^(.+?): (\d+) len (\d+)$")),
    ("len", re.compile(r"^(.+?): len (\d+)$")),
    ("int", re.compile(r"^(.+?): (\d+) \(0x([0-9a-f]+)\)$")),
    ("flag", re.compile(r"^(.+?): true$")),
    ("mac", re.compile(r"^(.+?):? ([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5})$")),
    ("signed", re.compile(r"^(.+?): (-?\d+)$")),
    ("list", re.compile(r"^(.+?):$")),
    ("text", re.compile(r"^(.+?): (.*)$")),
)


@dataclass(frozen=True, slots=True)
class Field:
    """An attribute's first line, taken apart."""

    label: str
    shape: str
    groups: tuple[str, ...]


def field_of(text: str) -> Field | None:
    """The label and value shape of an attribute line; None for a line with no label."""
    for shape, pattern in SHAPES:
        m = pattern.match(text)
        if m:
            return Field(m.group(1), shape, m.groups()[1:])
    return None

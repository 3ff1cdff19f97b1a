"""The account of one decoding pass: every record is decoded, malformed or skipped."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Summary:
    """Accounts for every record: records = decoded_records + malformed_records + skipped_records.

    ``skipped`` names the reasons, for skipped records and for container
    blocks that hold no packet (pcapng name resolution, statistics...).
    """

    records: int = 0
    decoded_records: int = 0
    skipped_records: int = 0
    messages: int = 0
    malformed: int = 0
    malformed_records: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    cleared: int = 0
    families: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    damage: str | None = None
    damage_offset: int | None = None
    air: dict[str, Any] | None = None
    input: str = "capture"  # capture (pcap/pcapng), iwmon-text or log
    fidelity: list[str] = field(default_factory=list)  # what a text input lost compared with a pcap
    unplaced: int = 0  # lines of a text input no message owns
    unplaced_lines: list[tuple[int, str]] = field(default_factory=list)  # the first of them (line, text)
    logs: list[dict[str, Any]] | None = None  # what each log (--log) gave and where it was placed
    attempts: int | None = None  # attempts rebuilt (None when the pass did not rebuild them)
    verdicts: Counter[str] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "summary",
            "records": self.records,
            "decoded_records": self.decoded_records,
            "malformed_records": self.malformed_records,
            "skipped_records": self.skipped_records,
            "messages": self.messages,
            "malformed": self.malformed,
            "skipped": dict(self.skipped),
            "duplicates": self.duplicates,
            "cleared_by_kernel": self.cleared,
            "families": self.families,
            "notes": list(self.notes),
            "damage": None if self.damage is None else {"error": self.damage, "offset": self.damage_offset},
            "input": self.input,
            **({"fidelity": list(self.fidelity), "unplaced": self.unplaced,
                "unplaced_lines": [{"line": n, "text": t} for n, t in self.unplaced_lines]}
               if self.input == "iwmon-text" else {}),
            **({"air": self.air} if self.air is not None else {}),
            **({"logs": self.logs} if self.logs is not None else {}),
            **({"attempts": self.attempts, "verdicts": dict(sorted(self.verdicts.items()))}
               if self.attempts is not None and self.verdicts is not None else {}),
        }

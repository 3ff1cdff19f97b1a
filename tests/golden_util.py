"""Helpers shared by the golden-file tests (reference decodes in tests/golden)."""

from __future__ import annotations

import functools
import gzip
import json
import re
from pathlib import Path

import nl80211dec

ROOT = Path(__file__).resolve().parent.parent
CAPTURES = ROOT / "captures"
GOLDEN = Path(__file__).resolve().parent / "golden"
SCENARIOS = sorted(p.name for p in CAPTURES.iterdir() if (p / "iwmon.pcap").exists())


def load_golden(scenario: str, name: str) -> dict:
    with gzip.open(GOLDEN / scenario / name) as f:
        return json.load(f)


@functools.lru_cache(maxsize=64)
def decoded(scenario: str, name: str) -> tuple:
    return tuple(nl80211dec.open(CAPTURES / scenario / name).messages())


def norm(name: str) -> str:
    """'Frame TX Status' and 'FRAME_TX_STATUS' -> 'frametxstatus'."""
    return re.sub(r"[^a-z0-9]", "", name.lower())

#!/usr/bin/env python3
"""Triage a folder of captures: one line per connection attempt, failures first.

    python examples/triage_folder.py captures/
"""

from __future__ import annotations

import sys
from pathlib import Path

import nl80211dec
from nl80211dec.errors import DecodeError


def main(folder: str) -> int:
    rows = []
    for path in sorted(Path(folder).rglob("*.pcap")):
        if path.name.endswith(".air.pcap") or path.name == "air.pcap":
            continue  # over-the-air captures go with --air, not on their own
        try:
            attempts = nl80211dec.open(path).attempts()
        except DecodeError as e:
            rows.append((1, str(path), "-", f"not decoded: {e}"))
            continue
        for a in attempts:
            if a.mode == "ap":
                continue
            rows.append((a.verdict == "ok", str(path), a.verdict, a.title))
    for ok, path, verdict, title in sorted(rows):
        print(f"{'  ' if ok else '!!'} {verdict:24s} {path}  {title}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "captures"))

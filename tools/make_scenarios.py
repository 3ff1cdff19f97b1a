#!/usr/bin/env python3
"""Write the brcmfmac external-auth scenario captures to captures/brcmfmac-external-auth/.

They are built by nl80211dec.testing.scenarios (iwmon format, link type 113);
tests/test_shipped_scenarios.py checks that the files still equal the builder's output.
"""

from __future__ import annotations

from pathlib import Path

from nl80211dec.testing.scenarios import SCENARIOS, build_both

DEST = Path(__file__).resolve().parent.parent / "captures" / "brcmfmac-external-auth"


def main() -> int:
    DEST.mkdir(parents=True, exist_ok=True)
    for name in sorted(SCENARIOS):
        netlink, air = build_both(name)
        (DEST / f"{name}.pcap").write_bytes(netlink)
        (DEST / f"{name}.air.pcap").write_bytes(air)
        print(f"{name}.pcap {name}.air.pcap")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""What `nl80211dec --sae FILE` prints, done through the Python API.

    python examples/decode_like_cli.py captures/brcmfmac-external-auth/pmksa-instead-of-sae.pcap
"""

from __future__ import annotations

import sys

import nl80211dec
from nl80211dec.render.ladder import ladder_lines


def main(path: str) -> int:
    cap = nl80211dec.open(path)
    for msg in cap:  # every message, decoded and typed
        if msg.cmd_name in ("CONNECT", "EXTERNAL_AUTH") and msg.role in ("request", "event"):
            status = msg.get("STATUS_CODE")
            print(f"#{msg.index} {msg.role} {msg.cmd_name}" + (f" status {status.text}" if status else ""))
    for attempt in cap.attempts():  # connection attempts with verdicts
        print()
        print("\n".join(ladder_lines(attempt)))
    print(cap.summary.as_dict())
    return 0 if all(a.verdict == "ok" for a in cap.attempts()) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "captures/brcmfmac-external-auth/ok.pcap"))

#!/usr/bin/env python3
"""Where the time goes: microseconds per message for each stage, cumulatively.

    python benchmarks/stages.py CAPTURE [--no-memo]

Each line runs the pipeline up to one more stage (reader; + netlink/nl80211
decode; + the 802.11 layer; the API; + sequencer; + text or JSON rendering),
so the difference between two lines is that stage's cost.  In-process: no
start-up, no output written.  Use benchmarks/bench.py for the figures
against tshark and iwmon.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nl80211dec  # noqa: E402
from nl80211dec.capture.reader import CaptureReader  # noqa: E402
from nl80211dec.pipeline import Decoder  # noqa: E402
from nl80211dec.pipeline.memo import MEMO_ENTRIES  # noqa: E402
from nl80211dec.render import jsonl, text  # noqa: E402
from nl80211dec.sae.layer import Dot11Layer  # noqa: E402
from nl80211dec.sequence import Sequencer  # noqa: E402


def stages(path: str, memo: bool) -> dict[str, Callable[[], int]]:
    def reader() -> int:
        return sum(1 for _ in CaptureReader(path))

    def decoder(post: bool = False) -> int:
        d = Decoder(post=Dot11Layer().process if post else None, memo=MEMO_ENTRIES if memo else 0)
        return sum(1 for _ in d.decode_all(CaptureReader(path)))

    def api(render: Callable[[nl80211dec.netlink.message.Message, float], object] | None = None,
            sequencer: bool = False) -> int:
        n, t0 = 0, None
        seq = Sequencer() if sequencer else None
        for msg in nl80211dec.open(path, memo=memo):
            n += 1
            t0 = msg.timestamp if t0 is None else t0
            if seq is not None:
                seq.feed(msg)
            if render is not None:
                render(msg, t0)
        return n

    return {
        "reader": reader,
        "+ netlink/nl80211 decode": decoder,
        "+ 802.11 layer": lambda: decoder(post=True),
        "API (open + iterate)": api,
        "API + sequencer": lambda: api(sequencer=True),
        "API + text": lambda: api(lambda m, t0: "\n".join(text.message_lines(m, t0))),
        "API + JSON": lambda: api(lambda m, t0: jsonl.message_json(m)),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("capture")
    ap.add_argument("--no-memo", action="store_true", help="decode every payload afresh")
    args = ap.parse_args()
    for label, run in stages(args.capture, not args.no_memo).items():
        t0 = time.perf_counter()
        n = run()
        dt = time.perf_counter() - t0
        print(f"{label:28s} {dt:7.3f} s  {n / dt / 1000:7.1f}k msg/s  {dt / n * 1e6:6.1f} us/msg")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

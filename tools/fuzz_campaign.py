#!/usr/bin/env python3
"""A long fuzz campaign over mutated real captures, on every core.

    python tools/fuzz_campaign.py --cases 1000000 [--workers N] [--seed S]

Each case mutates a small real capture (heads of the lab iwmon/nlmon files and
the external-auth scenario) and runs nl80211dec.testing.fuzz.exercise on it:
decode, render text and JSON, rebuild attempts, check the summary accounts for
every record. Any exception other than the library's own DecodeError is a
finding; findings are written to fuzz-findings/ with the input that caused them.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nl80211dec.testing.fuzz import exercise, head_of, mutate, payload_ranges  # noqa: E402
from nl80211dec.testing.scenarios import build  # noqa: E402


def seeds() -> list[bytes]:
    caps = ROOT / "captures"
    return [head_of((caps / "iwd-sae-ok" / "iwmon.pcap").read_bytes(), 12),
            head_of((caps / "wpas-sae-anticlog" / "nlmon.pcap").read_bytes(), 8),
            head_of((caps / "wpas-sae-pmksa-stale" / "iwmon.pcap").read_bytes(), 14),
            build("ok"), build("status-report-rejected")]


def worker(args: tuple[int, int, int, str]) -> tuple[int, int, int]:
    worker_id, cases, seed, out_dir = args
    rng = random.Random(seed * 1000003 + worker_id)
    base = seeds()
    ranges = [payload_ranges(b) for b in base]
    findings = 0
    damaged = 0
    for i in range(cases):
        k = rng.randrange(len(base))
        data, what = mutate(base[k], rng, rng.randint(1, 6), ranges[k])
        try:
            out = exercise(data)
            damaged += bool(out.get("damaged"))
        except Exception:  # noqa: BLE001 - a finding, recorded with its input
            findings += 1
            name = Path(out_dir) / f"finding-{worker_id}-{i}"
            name.with_suffix(".pcap").write_bytes(data)
            name.with_suffix(".txt").write_text(" ".join(what) + "\n" + traceback.format_exc())
    return cases, findings, damaged


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="fuzz-findings")
    args = ap.parse_args()
    Path(args.out).mkdir(exist_ok=True)
    per = args.cases // args.workers
    jobs = [(w, per + (1 if w < args.cases % args.workers else 0), args.seed, args.out) for w in range(args.workers)]
    t0 = time.time()
    with mp.Pool(args.workers) as pool:
        results = pool.map(worker, jobs)
    cases = sum(r[0] for r in results)
    findings = sum(r[1] for r in results)
    damaged = sum(r[2] for r in results)
    dt = time.time() - t0
    print(f"{cases} cases in {dt:.0f} s ({cases / dt:.0f}/s) on {args.workers} workers: "
          f"{findings} findings, {damaged} inputs reported as damaged files")
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())

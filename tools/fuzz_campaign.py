#!/usr/bin/env python3
"""A long fuzz campaign over mutated real inputs, every target, on N cores.

    python tools/fuzz_campaign.py --cases 1000000 [--workers N] [--seed S] [--seconds T] [--targets a,b]
    python tools/fuzz_campaign.py --replay 12345 [--seed S]     # run one case again, print its traceback

Case ``i`` goes to target ``TARGETS[i % len(TARGETS)]`` (nl80211dec.testing.fuzz) and draws everything from
``Random(seed, i)``: a campaign is deterministic by seed, any finding replays from its number alone, and the
cases per target are equal.  Seeds come from every shipped capture (captures/*/ and tests/data/robustness).
Any exception other than the library's own DecodeError, and any broken promise (AssertionError from the
target's oracle), is a finding: written to ``--out`` with its inputs and traceback.  ``--seconds`` stops early
and reports the honest count.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
try:  # the installed build when there is one (a compiled install is fuzzed as such), else the checkout
    import nl80211dec  # noqa: F401
except ImportError:
    sys.path.insert(0, str(ROOT))

from nl80211dec._pure import compiled  # noqa: E402
from nl80211dec.testing.fuzz import TARGETS, Case, load_seeds, make_case, run_case, run_cli  # noqa: E402

PROGRESS_EVERY = 20_000


def case_rng(seed: int, i: int) -> random.Random:
    return random.Random(seed * 1_000_003 + i * 7_919 + 17)


def _run(case: Case, scratch: Path) -> dict:
    return run_cli(case, scratch) if case.target == "cli" else run_case(case)


def _record(out_dir: Path, i: int, case: Case) -> None:
    base = out_dir / f"finding-{i}-{case.target}"
    base.mkdir(parents=True, exist_ok=True)
    for name, data in case.inputs.items():
        (base / name).write_bytes(data)
    (base / "case.txt").write_text(f"case {i} target {case.target}\nargv {case.argv}\nmutations "
                                   f"{' '.join(case.what)}\n\n{traceback.format_exc()}")


def worker(args: tuple[int, int, int, int, str, float, tuple[str, ...]]) -> tuple[Counter, Counter, int]:
    """Cases ``worker_id, worker_id + workers, ...`` below ``cases``; per-target counts of cases and findings."""
    worker_id, workers, cases, seed, out_dir, deadline, targets = args
    seeds = load_seeds(ROOT)
    ranges = seeds.ranges()
    done: Counter[str] = Counter()
    found: Counter[str] = Counter()
    damaged = 0
    scratch = Path(tempfile.mkdtemp(prefix=f"nl80211dec-fuzz-{worker_id}-"))
    for n, i in enumerate(range(worker_id, cases, workers)):
        if n % 200 == 0 and time.time() > deadline:
            break
        target = targets[i % len(targets)]
        try:
            case = make_case(target, seeds, ranges, case_rng(seed, i))
        except Exception:  # noqa: BLE001 - the generator's own bug: counted and shown, the run goes on
            found[f"{target} (case generator)"] += 1
            traceback.print_exc()
            continue
        try:
            out = _run(case, scratch)
            damaged += bool(out.get("damaged"))
        except Exception:  # noqa: BLE001 - a finding, recorded with its inputs
            found[target] += 1
            _record(Path(out_dir), i, case)
        done[target] += 1
        if worker_id == 0 and (n + 1) % PROGRESS_EVERY == 0:
            print(f"  worker 0: {n + 1} cases, {sum(found.values())} findings, {time.strftime('%H:%M:%S')}",
                  flush=True)
    for p in scratch.iterdir():
        p.unlink()
    scratch.rmdir()
    return done, found, damaged


def replay(i: int, seed: int, targets: tuple[str, ...]) -> int:
    seeds = load_seeds(ROOT)
    case = make_case(targets[i % len(targets)], seeds, seeds.ranges(), case_rng(seed, i))
    print(f"case {i}: target {case.target}, argv {case.argv}, mutations {' '.join(case.what)}")
    with tempfile.TemporaryDirectory() as d:
        print(_run(case, Path(d)))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=None, help="stop after this long; the count is what ran")
    ap.add_argument("--targets", default=",".join(TARGETS), help=f"comma-separated, of {','.join(TARGETS)}")
    ap.add_argument("--out", default="fuzz-findings")
    ap.add_argument("--replay", type=int, default=None, help="run case number N again and show what it does")
    args = ap.parse_args()
    targets = tuple(t for t in args.targets.split(",") if t)
    unknown = set(targets) - set(TARGETS)
    if unknown:
        ap.error(f"unknown targets: {', '.join(sorted(unknown))}")
    if args.replay is not None:
        return replay(args.replay, args.seed, targets)
    Path(args.out).mkdir(exist_ok=True)
    deadline = time.time() + args.seconds if args.seconds else float("inf")
    jobs = [(w, args.workers, args.cases, args.seed, args.out, deadline, targets) for w in range(args.workers)]
    t0 = time.time()
    if args.workers == 1:
        results = [worker(jobs[0])]
    else:
        with mp.Pool(args.workers) as pool:
            results = pool.map(worker, jobs)
    dt = time.time() - t0
    done: Counter[str] = sum((r[0] for r in results), Counter())
    found: Counter[str] = sum((r[1] for r in results), Counter())
    damaged = sum(r[2] for r in results)
    cases = sum(done.values())
    for t in targets:
        print(f"  {t:11} {done[t]:>9} cases {found[t]:>5} findings")
    build = "compiled (mypyc)" if compiled() else "pure Python"
    print(f"{cases} cases in {dt:.0f} s ({cases / dt:.0f}/s) on {args.workers} workers, seed {args.seed}, {build}: "
          f"{sum(found.values())} findings, {damaged} inputs reported as damaged files"
          + ("" if cases >= args.cases else f" (stopped by --seconds before {args.cases})"))
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())

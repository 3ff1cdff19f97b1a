"""Run ``nl80211dec live`` inside the QEMU lab beside the lab's own tcpdump, and compare the two captures.

    python tools/live_lab.py wpas-sae-wrongpass iwd-sae-ok     # one throw-away VM per scenario (hwsim lab)
    python tools/live_lab.py --fmac wpas-fmac-ok               # the emulated-FullMAC lab (lab/fmac/setup.sh first)
    python tools/live_lab.py --compare wpas-sae-wrongpass      # compare a run already made
    python tools/live_lab.py --golden wpas-sae-wrongpass       # ...and copy it to tests/golden/live-lab/<scenario>/

Each VM runs ``lab/live/guest-live.sh``: the live command (the repository's venv python, PYTHONPATH at an
export of the repository's HEAD, so other people's uncommitted edits cannot break a run) starts first and
creates nlmon0; then the scenario's unchanged guest script runs, its tcpdump on that same nlmon0. Both
sockets receive the same skbs, so the comparison can be exact: every tcpdump record must be in the live
file (same netlink bytes, same kernel timestamp to the microsecond), and the verdicts live printed, the
verdicts of the live file and the verdicts of the tcpdump file must be the same.

Output goes to ``$LAB_OUT/live/`` (default: lab-out/ next to the repository, as for the lab). Like the
lab, it runs one VM at a time: it waits while any ``qemu-system`` process (or a lab batch, run-lab.sh or
run-fmac.sh, between two of its VMs) runs. CI does not run this.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden" / "live-lab"
MATCH_S = 2e-6  # the same skb: tcpdump's microseconds are the ring's nanoseconds, truncated
VM_TIMEOUT = 480

ATTEMPT = re.compile(r"^Attempt (\d+) \[([^\]]+)\]")
VERDICT = re.compile(r"^Verdict: (\S+) - .*\(stage: ([^;]+); ended: ([^;)]+)")


def lab_out() -> Path:
    return Path(os.environ.get("LAB_OUT") or REPO.parent / "lab-out").resolve()


def export_source(out: Path) -> tuple[Path, str]:
    """The repository's HEAD as plain files (git archive), for the guest's PYTHONPATH."""
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    src = out / f"src-{commit[:12]}"
    if not (src / "nl80211dec" / "__init__.py").exists():
        src.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "nl80211dec"], capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    return src, commit


# Another VM, or a lab batch between two of its VMs (its next vng may be starting: never start beside it).
BUSY = "qemu-system|run-lab[.]sh|run-fmac[.]sh|bin/vng "


def wait_for_other_vms() -> None:
    said = False
    while subprocess.run(["pgrep", "-f", BUSY], capture_output=True).returncode == 0:
        if not said:
            print("    another VM (or a lab batch) is running: waiting for it to finish", flush=True)
            said = True
        time.sleep(10)


def kernel_image() -> str:
    versions = sorted((v for v in os.listdir("/lib/modules") if v.endswith("-amd64")),
                      key=lambda v: [int(x) if x.isdigit() else x for x in re.split(r"[.-]", v)])
    return f"/boot/vmlinuz-{versions[-1]}"


def run_vm(kind: str, scenario: str, raw: Path, src: Path) -> int:
    dest = raw / scenario
    shutil.rmtree(dest, ignore_errors=True)
    venv = Path(os.environ.get("VNG_VENV") or lab_out() / "venv")
    fmac = lab_out() / "fmac"
    command = f"{REPO}/lab/live/guest-live.sh {kind} {scenario} {dest} {sys.executable} {src} {fmac}"
    vng = [str(venv / "bin" / "vng"), *os.environ.get("VNG_OPTS", "--disable-kvm").split(), "--run",
           kernel_image(), "--rwdir", str(raw), "--force-9p", "--memory", "2G", "--cpus", "2", "--exec", command]
    env = dict(os.environ, PATH=f"{venv / 'bin'}:{os.environ['PATH']}")
    wait_for_other_vms()
    print(f"=== {scenario} ({time.strftime('%H:%M:%S')})", flush=True)
    t0 = time.monotonic()
    with open(raw / f"{scenario}.vng.log", "wb") as log:
        try:
            rc = subprocess.run(vng, stdout=log, stderr=subprocess.STDOUT, env=env, timeout=VM_TIMEOUT).returncode
        except subprocess.TimeoutExpired:
            rc = -1
    print(f"    rc={rc} {time.monotonic() - t0:.0f} s", flush=True)
    return rc


# -- comparison ---------------------------------------------------------------------------


def printed_verdicts(text: str) -> list[dict[str, Any]]:
    """The attempts as the live command printed them: mode from the ladder's head, the rest from its verdict."""
    out: list[dict[str, Any]] = []
    mode = None
    for line in text.splitlines():
        if m := ATTEMPT.match(line):
            mode = m.group(2)
        elif (m := VERDICT.match(line)) and mode is not None:
            out.append({"mode": mode, "verdict": m.group(1), "stage": m.group(2), "ending": m.group(3)})
            mode = None
    return out


def decoded_verdicts(path: Path) -> list[dict[str, Any]]:
    import nl80211dec
    from nl80211dec.sequence import Attempt

    cap = nl80211dec.open(path)
    done = [a for a in cap.stream() if isinstance(a, Attempt)]  # in the order they ended
    return [{"mode": a.mode, "verdict": a.verdict, "stage": a.stage, "ending": a.ending.kind if a.ending else None}
            for a in done]


def told_when(live_file: Path, timed: Path) -> list[dict[str, Any]]:
    """For each attempt, when live printed it: seconds after its last message, and after the message that
    closed it (the first moment the sequencer could know; the rest is decoding and printing)."""
    import nl80211dec
    from nl80211dec.sequence import Attempt

    printed = [float(line.split(" ", 1)[0]) for line in timed.read_text().splitlines()
               if ATTEMPT.match(line.split(" ", 1)[1] if " " in line else "")]
    done = [a for a in nl80211dec.open(live_file).stream() if isinstance(a, Attempt)]
    out = []
    for a, at in zip(done, printed, strict=False):
        last = a.end_time or a.start_time
        closed_at = a.capture_end_time or last  # the sequencer's clock when it closed the attempt
        out.append({"attempt": a.number, "verdict": a.verdict, "closed_by": a.closed_by,
                    "after_last_message_s": round(at - last, 3), "after_closing_message_s": round(at - closed_at, 3)})
    return out


def match_records(tcp: list[Any], live: list[Any]) -> dict[str, Any]:
    """Each tcpdump record found among the live records: same netlink bytes, same time (to the microsecond)."""
    first, last = tcp[0].timestamp, tcp[-1].timestamp
    window = [r for r in live if first - MATCH_S <= r.timestamp <= last + MATCH_S]
    waiting: dict[bytes, deque[Any]] = defaultdict(deque)
    for r in window:
        waiting[bytes(r.data[16:])].append(r)
    matched, worst, header_diff, unmatched = 0, 0.0, 0, []
    for r in tcp:
        queue = waiting.get(bytes(r.data[16:]))
        while queue and queue[0].timestamp < r.timestamp - MATCH_S:
            queue.popleft()  # an earlier copy tcpdump did not see (kept as unmatched below)
        if queue and abs(queue[0].timestamp - r.timestamp) <= MATCH_S:
            other = queue.popleft()
            matched += 1
            worst = max(worst, abs(other.timestamp - r.timestamp))
            header_diff += (other.data[:6], other.data[14:16]) != (r.data[:6], r.data[14:16])
        else:
            unmatched.append(r.number)
    return {"tcpdump_records": len(tcp), "live_records": len(live), "live_records_in_tcpdump_window": len(window),
            "matched": matched, "tcpdump_only": unmatched[:20], "tcpdump_only_count": len(unmatched),
            "live_only_in_window": len(window) - matched, "live_before_window": sum(r.timestamp < first - MATCH_S
                                                                                     for r in live),
            "live_after_window": sum(r.timestamp > last + MATCH_S for r in live),
            "max_time_difference_us": round(worst * 1e6, 3), "header_fields_differing": header_diff}


def summary_of(path: Path) -> dict[str, Any]:
    import nl80211dec

    cap = nl80211dec.open(path)
    for _ in cap.messages():
        pass
    s = cap.summary
    return {"records": s.records, "messages": s.messages, "malformed": s.malformed, "duplicates": s.duplicates,
            "cleared_by_kernel": s.cleared, "families": s.families,
            "assumed": any("assumed" in n for n in s.notes)}


def compare(run: Path) -> dict[str, Any]:
    from nl80211dec.capture.reader import CaptureReader

    tcp_path, live_path = run / "lab" / "nlmon.pcap", run / "live" / "live.pcapng"
    tcp, live = list(CaptureReader(tcp_path)), list(CaptureReader(live_path))
    printed = printed_verdicts((run / "live" / "live-sae.txt").read_text())
    from_live_file, from_tcpdump = decoded_verdicts(live_path), decoded_verdicts(tcp_path)
    result = dict(line.split("=", 1) for line in (run / "live" / "live-result.txt").read_text().split())
    lab_result = dict(line.split("=", 1) for line in (run / "lab" / "result.txt").read_text().splitlines()
                      if "=" in line)
    return {
        "scenario": lab_result.get("scenario"), "outcome": lab_result.get("outcome"),
        "guest_kernel": lab_result.get("guest_kernel"),
        "live_exit": int(result["live_exit"]), "nlmon0_after": result["nlmon0_after"],
        "live_stderr": (run / "live" / "live-stderr.txt").read_text().splitlines(),
        "records": match_records(tcp, live),
        "tcpdump_file": summary_of(tcp_path), "live_file": summary_of(live_path),
        "verdicts": {"printed_live": printed, "live_file": from_live_file, "tcpdump_file": from_tcpdump},
        "verdicts_agree": printed == from_live_file == from_tcpdump,
        "told": told_when(live_path, run / "live" / "live-sae.timed.txt")
        if (run / "live" / "live-sae.timed.txt").exists() else None,
    }


def gzip_to(src: Path, dest: Path) -> None:
    with open(src, "rb") as f, open(dest, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                                                      mtime=0) as out:
        shutil.copyfileobj(f, out)


def write_golden(run: Path, scenario: str, report: dict[str, Any], commit: str) -> Path:
    dest = GOLDEN / scenario
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    gzip_to(run / "lab" / "nlmon.pcap", dest / "tcpdump-nlmon.pcap.gz")
    gzip_to(run / "live" / "live.pcapng", dest / "live.pcapng.gz")
    if (run / "live" / "live.snapshot.json").exists():
        gzip_to(run / "live" / "live.snapshot.json", dest / "live.snapshot.json.gz")
    for name in ("live-sae.txt", "live-sae.timed.txt", "live-stderr.txt", "live-result.txt"):
        if (run / "live" / name).exists():
            shutil.copy(run / "live" / name, dest / name)
    shutil.copy(run / "lab" / "result.txt", dest / "lab-result.txt")
    (dest / "comparison.json").write_text(json.dumps(dict(report, commit=commit), indent=1) + "\n")
    return dest


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("scenarios", nargs="+")
    p.add_argument("--fmac", action="store_true", help="scenarios of the emulated-FullMAC lab (lab/fmac)")
    p.add_argument("--compare", action="store_true", help="only compare runs already made")
    p.add_argument("--golden", action="store_true", help="copy each run and its comparison to tests/golden/live-lab/")
    args = p.parse_args(argv)
    out = lab_out() / "live"
    raw = out / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    src, commit = export_source(out)
    sys.path.insert(0, str(src))  # compare with the code that ran in the guest
    status = 0
    for scenario in args.scenarios:
        if not args.compare:
            run_vm("fmac" if args.fmac else "hwsim", scenario, raw, src)
        run = raw / scenario
        try:
            report = compare(run)
        except (OSError, KeyError, ValueError) as e:
            print(f"    {scenario}: no comparison ({e}); see {raw / (scenario + '.vng.log')}")
            status = 1
            continue
        (run / "comparison.json").write_text(json.dumps(report, indent=1) + "\n")
        rec = report["records"]
        print(f"    {scenario}: tcpdump {rec['tcpdump_records']} records, {rec['matched']} found in the live file "
              f"(live: {rec['live_records']}, {rec['live_before_window']} before tcpdump started); verdicts agree: "
              f"{report['verdicts_agree']}; live exit {report['live_exit']}, nlmon0 {report['nlmon0_after']}")
        ok = report["verdicts_agree"] and rec["matched"] == rec["tcpdump_records"] and report["live_exit"] in (0, 1) \
            and report["nlmon0_after"] == "removed"
        status = max(status, 0 if ok else 1)
        if args.golden:
            print(f"    golden: {write_golden(run, scenario, report, commit)}")
    return status


if __name__ == "__main__":
    sys.exit(main())

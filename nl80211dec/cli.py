"""``python -m nl80211dec``: decode captures to a text timeline or JSON lines."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from .errors import DecodeError, NotACaptureError

if TYPE_CHECKING:
    from .api import Capture
    from .netlink.message import Message

VERSION = "0.1.0"  # kept equal to nl80211dec.__version__ by tests/test_cli.py

EXIT_OK, EXIT_MALFORMED, EXIT_NOT_CAPTURE = 0, 1, 2

EPILOG = """\
exit status: 0 everything decoded; 1 some records malformed or the file is damaged
(the rest was still decoded); 2 an input is not a capture or cannot be read.

examples:
  nl80211dec capture.pcap                     text timeline, like iwmon -r
  nl80211dec --json capture.pcap | jq .       JSON lines (docs/json.md)
  nl80211dec --cmd EXTERNAL_AUTH --cmd FRAME capture.pcap
  nl80211dec --family nl80211=0x1c iwmon.pcap  when the capture has no NEWFAMILY
  nl80211dec --sae --jobs 2 captures/        triage a folder on two cores (output in file order)
  nl80211dec --sae nlmon.pcap --air air.pcap  join a monitor-mode capture: was it on the air?
  nl80211dec diff works.pcap fails.pcap       the first meaningful difference between two captures
"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="nl80211dec",
        description="Decode nl80211 netlink captures (iwmon -w, tcpdump -i nlmon0) and explain WPA3-SAE "
                    "connection attempts.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="pcap or pcapng capture (optionally gzip-compressed), a directory of them, or - for "
                        "standard input")
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                   help="decode several files on N cores at once (default: all cores)")
    p.add_argument("--json", action="store_true", help="write JSON lines instead of text")
    p.add_argument("--cmd", action="append", default=[], metavar="NAME",
                   help="show only messages of this command (e.g. FRAME, CONNECT; repeatable)")
    p.add_argument("--ifindex", type=int, action="append", default=[], metavar="N",
                   help="show only messages about interface N (repeatable)")
    p.add_argument("--family", action="append", default=[], metavar="NAME=ID",
                   help="name a generic-netlink family id the capture does not name, e.g. nl80211=0x1c")
    p.add_argument("--air", metavar="AIR.pcap",
                   help="an over-the-air capture (radiotap, monitor mode) of the same moment: show each frame's "
                        "transmissions and use them in the verdicts")
    p.add_argument("--no-assume", action="store_true",
                   help="never assume nl80211 for an unnamed family id from the traffic's shape")
    p.add_argument("--sae", action="store_true", help="print only the connection attempts (ladders and verdicts)")
    p.add_argument("--no-attempts", action="store_true", help="do not rebuild connection attempts")
    p.add_argument("--no-memo", action="store_true",
                   help="decode every message afresh instead of reusing the decode of an identical earlier payload "
                        "(same output, slower; for benchmarks and debugging)")
    p.add_argument("--full-hex", action="store_true", help="print every byte of long binary attributes")
    p.add_argument("--version", action="version", version=f"nl80211dec {VERSION}")
    return p


def _norm_cmd(name: str) -> str:
    name = name.upper().replace("-", "_")
    for prefix in ("NL80211_CMD_", "CMD_"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return name


def _selected(msg: Message, cmds: set[str], ifindexes: set[int]) -> bool:
    if cmds and _norm_cmd(msg.cmd_name or msg.type_name or "") not in cmds:
        return False
    if ifindexes:
        idx = msg.value("IFINDEX")
        if idx is None:
            idx = msg.header_extra.get("ifindex")
        if idx not in ifindexes:
            return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # e.g. piped into head: stop quietly, like other Unix tools
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


CAPTURE_SUFFIXES = (".pcap", ".pcapng", ".cap", ".pcap.gz", ".pcapng.gz")


def _expand(paths: Sequence[str]) -> list[str]:
    """Files as given; directories become their capture files, sorted."""
    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            for root, _dirs, files in sorted(os.walk(p)):
                out += [os.path.join(root, f) for f in sorted(files) if f.endswith(CAPTURE_SUFFIXES)]
        else:
            out.append(p)
    return out


class _Progress:
    """A one-line progress indicator on stderr, only when stderr is a terminal."""

    def __init__(self, label: str, total: int | None) -> None:
        self.on = sys.stderr.isatty()
        self.label, self.total, self.last = label, total, 0.0

    def update(self, done: int, messages: int) -> None:
        if not self.on:
            return
        now = time.monotonic()
        if now - self.last < 0.2:
            return
        self.last = now
        pct = f" {100 * done / self.total:5.1f}%" if self.total else ""
        sys.stderr.write(f"\r{self.label}:{pct} {messages:,} messages")
        sys.stderr.flush()

    def close(self) -> None:
        if self.on and self.last:
            sys.stderr.write("\r" + " " * 70 + "\r")


def format_name(args: argparse.Namespace) -> str:
    return "json" if args.json else "sae" if args.sae else "text"


def render_file(path: str, args: argparse.Namespace, out: TextIO, families: dict[str, int],
                show_header: bool = False) -> int:
    """Decode one capture to ``out``; return the exit status for it.

    Messages stream straight out; finished attempts are rendered at once into
    a temporary file and appended after the messages (where the JSON schema
    puts them), so memory stays flat however long the capture is.
    """
    from .render.formats import FORMATS
    from .sequence import Attempt

    fmt = FORMATS[format_name(args)](full_hex=args.full_hex)
    cap = _open_capture(path, families=families, assume=not args.no_assume, air=args.air, memo=not args.no_memo)
    if cap is None:
        return EXIT_NOT_CAPTURE
    head = fmt.header(path) if show_header else None
    if head:
        out.write(head)
    cmds = {_norm_cmd(c) for c in args.cmd}
    ifindexes = set(args.ifindex)
    try:
        cap.join_air()
    except (NotACaptureError, OSError) as e:
        print(f"nl80211dec: {args.air}: {getattr(e, 'message', None) or e}", file=sys.stderr)
        return EXIT_NOT_CAPTURE
    status = EXIT_OK
    size = os.path.getsize(path) if path != "-" and not path.endswith(".gz") else None
    progress = _Progress(os.path.basename(path), size)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        t0: float | None = None
        try:
            n = 0
            for item in cap.stream(attempts=not args.no_attempts):
                if isinstance(item, Attempt):
                    spool.write(fmt.attempt(item, t0))
                    continue
                n += 1
                if t0 is None:
                    t0 = item.timestamp
                if n % 2048 == 0 and cap.reader is not None:
                    progress.update(cap.reader.position, n)
                if fmt.messages and _selected(item, cmds, ifindexes):
                    out.write(fmt.message(item, t0))
        except DecodeError as e:  # defensive: layers report damage in-band
            print(f"nl80211dec: {path}: {e}", file=sys.stderr)
            status = EXIT_MALFORMED
        progress.close()
        spool.seek(0)
        shutil.copyfileobj(spool, out)
    summary = cap.summary
    out.write(fmt.summary(summary, path if show_header else None))
    if summary.damage:
        print(f"nl80211dec: {path}: damaged: {summary.damage}", file=sys.stderr)
    if summary.malformed or summary.damage:
        status = max(status, EXIT_MALFORMED)
    return status


def _render_to_temp(job: tuple[str, argparse.Namespace, dict[str, int]]) -> tuple[str, int]:
    """Batch worker: one file rendered into a temporary file (the parent copies it in order)."""
    path, args, families = job
    fd, name = tempfile.mkstemp(prefix="nl80211dec-", suffix=".out")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        status = render_file(path, args, out, families, show_header=True)
    return name, status


def _open_capture(path: str, **kwargs: object) -> Capture | None:
    """Open ``path`` (``-`` is standard input), or say on stderr in one line why it cannot be read (None)."""
    from .api import Capture

    try:
        return Capture(sys.stdin.buffer if path == "-" else path, **kwargs)  # type: ignore[arg-type]
    except NotACaptureError as e:
        print(f"nl80211dec: {path}: {e.message}", file=sys.stderr)
    except OSError as e:
        print(f"nl80211dec: {path}: {e.strerror or e}", file=sys.stderr)
    return None


def diff_main(argv: Sequence[str]) -> int:
    """``nl80211dec diff GOOD BAD``: the first meaningful difference between two captures."""
    p = argparse.ArgumentParser(prog="nl80211dec diff",
                                description="Compare the connection attempts of a working and a failing capture "
                                            "and report where the failing one first differs.")
    p.add_argument("good", help="a capture where the connection works")
    p.add_argument("bad", help="a capture where it fails")
    p.add_argument("--json", action="store_true", help="one JSON object per difference")
    args = p.parse_args(argv)
    from .diff import diff_attempts
    from .render import jsonl

    attempts = []
    for path in (args.good, args.bad):
        cap = _open_capture(path)
        if cap is None:
            return EXIT_NOT_CAPTURE
        attempts.append(cap.attempts())
    diffs = diff_attempts(*attempts)
    for d in diffs:
        print(jsonl.dumps(d.as_dict()) if args.json else d.text())
    if not diffs and not args.json:
        print("no meaningful difference between the two captures' attempts")
    return EXIT_OK


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["diff"]:
        return diff_main(argv[1:])
    if argv[:1] == ["live"]:
        from .live.cli import main as live_main  # the live capture's own options and checks

        return live_main(argv[1:])
    args = build_parser().parse_args(argv)
    # the decoder is imported inside render_file, so --help and --version start fast
    from .netlink.genl import parse_family_option

    try:
        families = dict(parse_family_option(f) for f in args.family)
    except ValueError as e:
        print(f"nl80211dec: --family: {e}", file=sys.stderr)
        return EXIT_NOT_CAPTURE
    files = _expand(args.files)
    if not files:
        print("nl80211dec: no capture files found", file=sys.stderr)
        return EXIT_NOT_CAPTURE
    out = sys.stdout
    jobs = args.jobs or os.cpu_count() or 1
    if len(files) == 1 or jobs == 1:
        status = EXIT_OK
        for path in files:
            status = max(status, render_file(path, args, out, families, show_header=len(files) > 1))
        return status
    import multiprocessing

    status = EXIT_OK
    with multiprocessing.Pool(min(jobs, len(files))) as pool:
        for done, (name, st) in enumerate(pool.imap(_render_to_temp, [(f, args, families) for f in files]), 1):
            if sys.stderr.isatty():
                sys.stderr.write(f"\r[{done}/{len(files)}] files decoded")
            with open(name, encoding="utf-8") as part:
                shutil.copyfileobj(part, out)
            os.unlink(name)
            status = max(status, st)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    return status

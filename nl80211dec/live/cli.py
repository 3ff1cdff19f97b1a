"""``nl80211dec live``: capture on this machine, print messages and verdicts as they happen, keep the file.

Exit status: 0 a clean run; 1 some records were malformed, the kernel
dropped packets or the file could not be written to the end; 2 live capture cannot run here (the one line on stderr
says what is missing and how to fix it); 130 interrupted twice.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import socket
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from ..cli import EXIT_MALFORMED, EXIT_NOT_CAPTURE, EXIT_OK, _norm_cmd, _selected
from .errors import Unavailable

if TYPE_CHECKING:
    from .run import Backend

EXIT_INTERRUPTED = 130

EPILOG = """\
examples (as root, or see docs/live.md for capabilities):
  nl80211dec live --sae -w wifi.pcapng          verdicts as attempts end, the capture kept
  nl80211dec live -i wlan0                      every message about wlan0, then its attempts
  nl80211dec live --json --duration 600         JSON lines for ten minutes
  nl80211dec live --sae -w wifi.pcapng --ring 200 --snapshot   days long: the newest 200 MB and every failure

Read the file afterwards with: nl80211dec --sae wifi.pcapng (or tshark -r wifi.pcapng).
"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="nl80211dec live",
        description="Capture nl80211 traffic here (an nlmon interface and a packet socket), decode it like a "
                    "file, print messages and connection attempts as they happen.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-w", "--write", metavar="OUT.pcapng", help="keep the capture (pcapng, written record by record)")
    p.add_argument("--ring", type=float, metavar="N",
                   help="with -w: keep only the newest N MB (rotating OUT-0001.pcapng...), and the files around "
                        "each failed attempt (OUT-NNNN-failed.pcapng)")
    p.add_argument("--sae", action="store_true", help="print only the connection attempts, each when it ends")
    p.add_argument("--json", action="store_true", help="JSON lines (docs/json.md), one per message and attempt")
    p.add_argument("-i", "--interface", action="append", default=[], metavar="IFNAME",
                   help="show only messages and attempts of this wireless interface (the file keeps everything)")
    p.add_argument("--cmd", action="append", default=[], metavar="NAME",
                   help="show only messages of this command (repeatable)")
    p.add_argument("--duration", type=float, metavar="S", help="stop after S seconds (default: Ctrl-C)")
    p.add_argument("--snapshot", action="store_true",
                   help="dump the wiphys, interfaces and stations at start (into the capture, and with -w into "
                        "OUT.snapshot.json)")
    p.add_argument("--nlmon", default="nlmon0", metavar="NAME",
                   help="the nlmon interface to create (or use, if it exists) (default: %(default)s)")
    p.add_argument("--full-hex", action="store_true", help="print every byte of long binary attributes")
    return p


class _OneLine(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return "nl80211dec live: " + record.getMessage()


def _logging() -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine())
    log = logging.getLogger("nl80211dec.live")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    return handler


def _ifindexes(backend: Backend, names: list[str]) -> set[int]:
    out = set()
    with backend.iproute() as ipr:
        for name in names:
            found = ipr.link_lookup(ifname=name)
            if not found:
                raise Unavailable(f"there is no network interface {name} (ip link lists them)")
            out.add(found[0])
    return out


def main(argv: Sequence[str] | None = None, *, backend: Backend | None = None, out: TextIO | None = None) -> int:
    """``nl80211dec live ARGS``; ``backend`` replaces the system's pieces (the tests' doubles)."""
    args = build_parser().parse_args(list(sys.argv[2:] if argv is None else argv))
    if args.ring is not None and not args.write:
        print("nl80211dec live: --ring needs -w OUT.pcapng", file=sys.stderr)
        return EXIT_NOT_CAPTURE
    handler = _logging()
    try:
        return _capture(args, backend, out or sys.stdout)
    except Unavailable as e:
        print(f"nl80211dec live: {e}", file=sys.stderr)
        return EXIT_NOT_CAPTURE
    except KeyboardInterrupt:
        print("nl80211dec live: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # piped into head: stop quietly, like the file command
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    finally:
        logging.getLogger("nl80211dec.live").removeHandler(handler)


def _capture(args: argparse.Namespace, backend: Backend | None, out: TextIO) -> int:
    if backend is None:
        if not sys.platform.startswith("linux") or not hasattr(socket, "AF_PACKET"):
            raise Unavailable("live capture needs Linux (nlmon interfaces and packet sockets)")
        from .run import system_backend

        backend = system_backend()
    from ..render.formats import FORMATS
    from ..sequence import Attempt
    from .run import Live

    ifindexes = _ifindexes(backend, args.interface) if args.interface else set()
    cmds = {_norm_cmd(c) for c in args.cmd}
    fmt = FORMATS["json" if args.json else "sae" if args.sae else "text"](full_hex=args.full_hex)
    run = Live(nlmon=args.nlmon, write=args.write, ring_mb=args.ring, snapshot=args.snapshot,
               duration=args.duration, backend=backend)
    t0: float | None = None
    with contextlib.closing(iter(run)) as items:
        for item in items:
            if isinstance(item, Attempt):
                if not ifindexes or item.ifindex in ifindexes:
                    out.write(fmt.attempt(item, t0))
                    out.flush()
                continue
            if t0 is None:
                t0 = item.timestamp
            if fmt.messages and _selected(item, cmds, ifindexes):
                out.write(fmt.message(item, t0))
                out.flush()
    out.write(fmt.summary(run.summary, None))
    out.flush()
    files = ", ".join(run.files) or "none"
    print(f"nl80211dec live: {run.records} records ({run.stopped_by}); files: {files}; "
          f"{run.dropped} dropped by the kernel", file=sys.stderr)
    if run.summary.malformed or run.dropped or run.write_error:
        return EXIT_MALFORMED
    return EXIT_OK

"""``python -m nl80211dec``: decode captures to a text timeline or JSON lines."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .api import Capture
from .errors import DecodeError, NotACaptureError
from .netlink.genl import parse_family_option
from .netlink.message import Message
from .render import jsonl, text
from .render.ladder import ladder_lines
from .sequence import Sequencer

EXIT_OK, EXIT_MALFORMED, EXIT_NOT_CAPTURE = 0, 1, 2

EPILOG = """\
exit status: 0 everything decoded; 1 some records malformed or the file is damaged
(the rest was still decoded); 2 an input is not a capture or cannot be read.

examples:
  nl80211dec capture.pcap                     text timeline, like iwmon -r
  nl80211dec --json capture.pcap | jq .       JSON lines (docs/json.md)
  nl80211dec --cmd EXTERNAL_AUTH --cmd FRAME capture.pcap
  nl80211dec --family nl80211=0x1c iwmon.pcap  when the capture has no NEWFAMILY
"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="nl80211dec",
        description="Decode nl80211 netlink captures (iwmon -w, tcpdump -i nlmon0) and explain WPA3-SAE "
                    "connection attempts.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+", metavar="FILE", help="pcap or pcapng capture, optionally gzip-compressed")
    p.add_argument("--json", action="store_true", help="write JSON lines instead of text")
    p.add_argument("--cmd", action="append", default=[], metavar="NAME",
                   help="show only messages of this command (e.g. FRAME, CONNECT; repeatable)")
    p.add_argument("--ifindex", type=int, action="append", default=[], metavar="N",
                   help="show only messages about interface N (repeatable)")
    p.add_argument("--family", action="append", default=[], metavar="NAME=ID",
                   help="name a generic-netlink family id the capture does not name, e.g. nl80211=0x1c")
    p.add_argument("--no-assume", action="store_true",
                   help="never assume nl80211 for an unnamed family id from the traffic's shape")
    p.add_argument("--sae", action="store_true", help="print only the connection attempts (ladders and verdicts)")
    p.add_argument("--no-attempts", action="store_true", help="do not rebuild connection attempts")
    p.add_argument("--full-hex", action="store_true", help="print every byte of long binary attributes")
    p.add_argument("--version", action="version", version=f"nl80211dec {__version__}")
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
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        families = dict(parse_family_option(f) for f in args.family)
    except ValueError as e:
        print(f"nl80211dec: --family: {e}", file=sys.stderr)
        return EXIT_NOT_CAPTURE
    cmds = {_norm_cmd(c) for c in args.cmd}
    ifindexes = set(args.ifindex)
    out = sys.stdout
    status = EXIT_OK
    for path in args.files:
        try:
            cap = Capture(path, families=families, assume=not args.no_assume)
        except NotACaptureError as e:
            print(f"nl80211dec: {path}: {e.message}", file=sys.stderr)
            status = EXIT_NOT_CAPTURE
            continue
        except OSError as e:
            print(f"nl80211dec: {path}: {e.strerror or e}", file=sys.stderr)
            status = EXIT_NOT_CAPTURE
            continue
        if len(args.files) > 1 and not args.json:
            out.write(f"==> {path} <==\n")
        seq = None if args.no_attempts else Sequencer()
        attempts: list = []
        try:
            t0 = None
            for msg in cap:
                if t0 is None:
                    t0 = msg.timestamp
                if seq is not None:
                    attempts.extend(seq.feed(msg))
                if args.sae or not _selected(msg, cmds, ifindexes):
                    continue
                if args.json:
                    out.write(jsonl.dumps(jsonl.message_dict(msg)) + "\n")
                else:
                    out.write("\n".join(text.message_lines(msg, t0, args.full_hex)) + "\n")
            if seq is not None:
                attempts.extend(seq.finish())
            attempts.sort(key=lambda a: a.start_index)
            for att in attempts:
                if args.json:
                    out.write(jsonl.dumps(att.as_dict()) + "\n")
                else:
                    out.write("\n" + "\n".join(ladder_lines(att, capture_start=t0)) + "\n")
        except DecodeError as e:  # defensive: layers report damage in-band
            print(f"nl80211dec: {path}: {e}", file=sys.stderr)
            status = max(status, EXIT_MALFORMED)
        summary = cap.summary
        if args.json:
            d = summary.as_dict()
            if seq is not None:
                d["attempts"] = len(attempts)
                d["verdicts"] = {v: sum(1 for a in attempts if a.verdict == v) for v in
                                 sorted({a.verdict for a in attempts})}
            if len(args.files) > 1:
                d["file"] = str(path)
            out.write(jsonl.dumps(d) + "\n")
        else:
            out.write("\n".join(text.summary_lines(summary)) + "\n")
        if summary.damage:
            print(f"nl80211dec: {path}: damaged: {summary.damage}", file=sys.stderr)
        if summary.malformed or summary.damage:
            status = max(status, EXIT_MALFORMED)
    return status

"""``python -m nl80211dec``: decode captures to a one-line-per-message timeline, trees, fields or JSON lines.

The options follow tshark where its users know them (``-V``, ``-x``, ``-Y``,
``-e``/``-T fields``/``-E``, ``-t``, ``-w``); the rest are this tool's own.
Every mistake a table can catch is a one-line error with exit status 2
before anything is decoded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

from .errors import DecodeError, NotACaptureError
from .version import __version__

if TYPE_CHECKING:
    from .api import Capture
    from .netlink.message import Message
    from .sequence import Attempt

VERSION = __version__  # kept equal to nl80211dec.__version__ by tests/test_cli.py

EXIT_OK, EXIT_MALFORMED, EXIT_NOT_CAPTURE, EXIT_VERDICT = 0, 1, 2, 3
# which of two statuses a run of several files reports: an unreadable input first, then a verdict
_RANK = {EXIT_OK: 0, EXIT_MALFORMED: 1, EXIT_VERDICT: 2, EXIT_NOT_CAPTURE: 3}
# --fail-on: the verdicts that do not trip it
PASSING = {"failure": {"ok", "incomplete", "undecided"}, "any": {"ok"}}
LINKTYPE_NAMES = {0: "BSD loopback", 1: "Ethernet", 101: "raw IP", 105: "802.11", 127: "802.11 radiotap",
                  113: "Linux cooked", 253: "netlink", 276: "Linux cooked v2"}
AIR_LINKTYPES = (105, 127)

EPILOG = """\
exit status: 0 everything decoded; 1 some records malformed or the file is damaged
(the rest was still decoded); 2 an input is not a capture, cannot be read, or an option
is wrong; 3 --fail-on: an attempt's verdict is not ok (failure: a diagnosed failure;
any: anything but ok, or no attempt at all).

examples:
  nl80211dec capture.pcap                     one line per message, then the attempts
  nl80211dec -V capture.pcap                  every attribute, like iwmon -r
  nl80211dec -Y 'cmd == FRAME and sae.group == 20' capture.pcap
  nl80211dec -Y 'attempt == 2' -w attempt2.pcap capture.pcap
  nl80211dec -e index -e cmd -e attr.STATUS_CODE -E header=y capture.pcap
  nl80211dec --json capture.pcap | jq .       JSON lines (docs/json.md)
  nl80211dec --sae --fail-on failure lab/      CI: exit 3 when an attempt failed
  nl80211dec --follow /tmp/wifi.pcap          a capture still being written (Ctrl-C stops)
  nl80211dec --family nl80211=0x1c iwmon.pcap  when the capture has no NEWFAMILY
  nl80211dec --sae nlmon.pcap --air air.pcap  join a monitor-mode capture: was it on the air?
  nl80211dec diff works.pcap fails.pcap       the first meaningful difference between two captures
"""


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"{n} cores? give 1 or more (0: all cores)")
    return n


def build_parser() -> argparse.ArgumentParser:
    from .render.timefmt import TIME_FORMATS

    p = argparse.ArgumentParser(
        prog="nl80211dec",
        description="Decode nl80211 netlink captures (iwmon -w, tcpdump -i nlmon0) and explain WPA3-SAE "
                    "connection attempts.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="pcap or pcapng capture (optionally gzip-compressed), iwmon text output, a directory of "
                        "them, or - for standard input")
    show = p.add_argument_group("what is shown")
    show.add_argument("-V", "--verbose", action="store_true",
                      help="every message as a tree of its attributes (like iwmon -r) instead of one line")
    show.add_argument("-x", "--hex", action="store_true", help="every message's bytes after it, with offsets")
    show.add_argument("-Y", "--filter", metavar="EXPR",
                      help="show only messages matching EXPR, e.g. 'cmd == FRAME and attr.STATUS_CODE != 0' "
                           "(the user guide has the language; -G lists the fields)")
    show.add_argument("-e", dest="fields", action="append", default=[], metavar="FIELD",
                      help="print FIELD of each message, one column per -e (repeatable; implies -T fields)")
    show.add_argument("-T", dest="output", choices=("text", "fields", "json"),
                      help="output format: text (default), fields (the -e columns), json (JSON lines)")
    show.add_argument("-E", dest="field_options", action="append", default=[], metavar="OPT=VALUE",
                      help="fields output: header=y|n, separator=/t|/s|C, occurrence=f|l|a, aggregator=C, "
                           "quote=d|s|n")
    show.add_argument("-t", dest="time_format", choices=tuple(TIME_FORMATS), default="r",
                      help="time format: " + "; ".join(f"{k} {v}" for k, v in TIME_FORMATS.items()))
    show.add_argument("-G", "--list-fields", action="store_true", help="list the fields -Y and -e know, and exit")
    show.add_argument("--json", action="store_true", help="write JSON lines instead of text (-T json)")
    show.add_argument("--sae", action="store_true", help="print only the connection attempts (ladders and verdicts)")
    show.add_argument("--cmd", action="append", default=[], metavar="NAME",
                      help="show only messages of this command (e.g. FRAME, CONNECT; repeatable)")
    show.add_argument("--ifindex", type=int, action="append", default=[], metavar="N",
                      help="show only messages about interface N (repeatable)")
    show.add_argument("--full-hex", action="store_true", help="-V: print every byte of long binary attributes")
    show.add_argument("--color", "--colour", dest="color", choices=("auto", "always", "never"), default="auto",
                      help="colour the text output: auto (on a terminal, unless NO_COLOR is set), always, never")
    inputs = p.add_argument_group("inputs")
    inputs.add_argument("--air", metavar="AIR.pcap",
                        help="an over-the-air capture (radiotap, monitor mode) of the same moment: show each "
                             "frame's transmissions and use them in the verdicts")
    inputs.add_argument("--log", dest="logs", action="append", default=[], metavar="FILE",
                        help="a journal or daemon log (wpa_supplicant -t, hostapd, iwd -d, journalctl, dmesg) of "
                             "the same moment: its lines are placed on the capture's timeline as evidence "
                             "(repeatable)")
    inputs.add_argument("--family", action="append", default=[], metavar="NAME=ID",
                        help="name a generic-netlink family id the capture does not name, e.g. nl80211=0x1c")
    inputs.add_argument("--no-assume", action="store_true",
                        help="never assume nl80211 for an unnamed family id from the traffic's shape")
    inputs.add_argument("--follow", action="store_true",
                        help="keep reading a capture that is still being written (like tail -f); Ctrl-C stops "
                             "and prints the attempts and the summary")
    out = p.add_argument_group("results")
    out.add_argument("-w", dest="write", metavar="OUT.pcap",
                     help="write the records of the messages shown, unchanged, to a pcap (or .pcapng) file")
    out.add_argument("--fail-on", choices=tuple(PASSING),
                     help="exit 3 when an attempt shown has failed: failure = any verdict but ok, incomplete "
                          "and undecided; any = any verdict but ok, or no attempt at all")
    out.add_argument("--no-attempts", action="store_true", help="do not rebuild connection attempts")
    out.add_argument("--no-memo", action="store_true",
                     help="decode every message afresh instead of reusing the decode of an identical earlier "
                          "payload (same output, slower; for benchmarks and debugging)")
    out.add_argument("-j", "--jobs", type=_positive, default=0, metavar="N",
                     help="decode several files on N cores at once (default: all cores)")
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


class UsageError(Exception):
    """An option or input that cannot work: one line on stderr, exit status 2."""


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except UsageError as e:
        print(f"nl80211dec: {e}", file=sys.stderr)
        return EXIT_NOT_CAPTURE
    except BrokenPipeError:  # e.g. piped into head: stop quietly, like other Unix tools
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


CAPTURE_SUFFIXES = (".pcap", ".pcapng", ".cap", ".pcap.gz", ".pcapng.gz")
SNIFFED_SUFFIXES = (".txt", ".log", ".txt.gz", ".log.gz")  # taken only when their first bytes say so


def _expand(paths: Sequence[str]) -> list[str]:
    """Files as given; directories become their capture files (and iwmon text, by content), sorted."""
    from .capture.sniff import sniff_file

    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            for root, _dirs, files in sorted(os.walk(p)):
                for f in sorted(files):
                    path = os.path.join(root, f)
                    if f.endswith(CAPTURE_SUFFIXES) or (f.endswith(SNIFFED_SUFFIXES) and sniff_file(path)):
                        out.append(path)
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
    if args.fields or args.output == "fields":
        return "fields"
    if args.json or args.output == "json":
        return "json"
    return "sae" if args.sae else "verbose" if args.verbose else "text"


# -- checks before decoding ------------------------------------------------------------------
def check_options(args: argparse.Namespace) -> None:
    """Every option a table can check, checked now (UsageError names the culprit)."""
    from .query import FilterError, compile_filter, lookup
    from .query.fields import COMMAND_NAMES, UnknownName, did_you_mean
    from .render.fields import parse_field_option

    for name in args.cmd:
        if _norm_cmd(name) not in COMMAND_NAMES:
            raise UsageError(f"--cmd {name}: no such command{did_you_mean(_norm_cmd(name), COMMAND_NAMES)}")
    if args.filter is not None:
        try:
            compile_filter(args.filter)
        except FilterError as e:
            raise UsageError(f"-Y: {e}\n{e.pointer()}") from None
    for name in args.fields:
        try:
            lookup(name)
        except UnknownName as e:
            raise UsageError(f"-e {name}: {e}") from None
    if args.output == "fields" and not args.fields:
        raise UsageError("-T fields needs at least one -e FIELD")
    for opt in args.field_options:
        try:
            parse_field_option(opt)
        except ValueError as e:
            raise UsageError(f"-E {e}") from None
    for log in args.logs:
        if not os.path.isfile(log) or not os.access(log, os.R_OK):
            raise UsageError(f"--log {log}: " + ("cannot be read" if os.path.exists(log) else "no such file"))
    needs = _needs_attempts(args)
    if args.no_attempts and (needs or args.fail_on):
        raise UsageError("--no-attempts leaves no attempts for " + ("--fail-on" if args.fail_on else
                                                                    "the attempt and verdict fields"))
    if args.follow and needs:
        raise UsageError("--follow: attempt and verdict need the whole capture first (they are known when it ends)")
    if args.follow and (len(args.files) != 1 or args.files[0] == "-" or os.path.isdir(args.files[0])):
        raise UsageError("--follow takes one capture file (standard input already streams)")
    if args.write and args.follow:
        raise UsageError("-w and --follow: write the capture with the capturing tool (iwmon -w, tcpdump -w)")


def _compiled(args: argparse.Namespace) -> Any:
    """The -Y filter, compiled (checked by check_options; compiled again in a batch worker)."""
    from .query import compile_filter

    return None if args.filter is None else compile_filter(args.filter)


def _needs_attempts(args: argparse.Namespace) -> bool:
    from .query import lookup

    flt = _compiled(args)
    return bool((flt is not None and flt.needs_attempts) or any(lookup(f).needs_attempts for f in args.fields))


def _linktypes(path: str) -> list[int]:
    """The link types a pcap's header names (pcapng: none yet), or [] when the file is no capture."""
    from .capture.reader import CaptureReader

    try:
        reader = CaptureReader(path)
    except (NotACaptureError, OSError):
        return []
    reader.close()
    return list(reader.linktypes)


def _linktype_words(lt: int) -> str:
    return f"link type {lt}" + (f" ({LINKTYPE_NAMES[lt]})" if lt in LINKTYPE_NAMES else "")


def check_input(path: str, args: argparse.Namespace) -> None:
    """Refuse at once what the file's header already says will decode nothing."""
    from .link.cooked import SUPPORTED_LINKTYPES

    if path == "-" or not os.path.isfile(path):
        return
    lts = _linktypes(path)
    if lts and not any(lt in SUPPORTED_LINKTYPES or lt in AIR_LINKTYPES for lt in lts):
        raise UsageError(_no_netlink(path, lts[0]))


def _no_netlink(path: str, lt: int) -> str:
    """An over-the-air capture alone is explained by the summary (pass it with --air); anything else is an error."""
    return (f"{path}: {_linktype_words(lt)} is not a netlink capture, nothing to decode (capture with iwmon -w "
            "or tcpdump -i nlmon0)")


def check_air(path: str) -> None:
    lts = _linktypes(path)
    if lts and not any(lt in AIR_LINKTYPES for lt in lts):
        raise UsageError(f"--air {path}: {_linktype_words(lts[0])} is not an over-the-air capture (radiotap, link "
                         "type 127, or 802.11, link type 105, from a monitor-mode interface)")


# -- one file ------------------------------------------------------------------------------
class _Selection:
    """What one pass showed: message indexes (for the attempts), record numbers (for -w), ids seen."""

    def __init__(self, *, records: bool = False) -> None:
        self.messages = bytearray()  # 1 at a message index that was shown
        self.records: set[int] = set()  # kept only for -w (``records``): a set grows with every record shown
        self.keep_records = records
        self.family_ids: Counter[int] = Counter()

    def add(self, msg: Message) -> None:
        if msg.index >= len(self.messages):
            self.messages.extend(bytes(msg.index + 1 - len(self.messages) + 1024))
        self.messages[msg.index] = 1
        if self.keep_records:
            self.records.add(msg.record)

    def shown(self, a: Attempt) -> bool:
        from .query.attempts import cited

        n = len(self.messages)
        return any(i < n and self.messages[i] for i in cited(a))


def _make_format(args: argparse.Namespace, path: str, show_header: bool) -> Any:
    from .render.colour import Paint
    from .render.fields import parse_field_option
    from .render.formats import FORMATS
    from .render.options import Options

    name = format_name(args)
    opts = Options(time_format=args.time_format, hexdump=args.hex, paint=Paint(getattr(args, "colour_on", False)),
                   file=path if show_header and name == "json" else None, fields=tuple(args.fields),
                   field_options=dict(parse_field_option(o) for o in args.field_options))
    return FORMATS[name](full_hex=args.full_hex, options=opts)


def render_file(path: str, args: argparse.Namespace, out: TextIO, families: dict[str, int],
                show_header: bool = False) -> int:
    """Decode one capture to ``out``; return the exit status for it.

    Messages stream straight out; finished attempts are rendered at once into
    a temporary file and appended after the messages (where the JSON schema
    puts them), so memory stays flat however long the capture is.
    """
    from .query import AttemptIndex, Context
    from .render.timefmt import Clock
    from .sequence import Attempt

    try:
        check_input(path, args)
    except UsageError as e:
        print(f"nl80211dec: {e}", file=sys.stderr)
        return EXIT_NOT_CAPTURE
    fmt = _make_format(args, path, show_header)
    with _opened(path, args, families) as cap:
        if cap is None:
            return EXIT_NOT_CAPTURE
        try:
            cap.join_air()
        except (NotACaptureError, OSError) as e:
            print(f"nl80211dec: --air {args.air}: {getattr(e, 'message', None) or e}", file=sys.stderr)
            return EXIT_NOT_CAPTURE
        if cap.air is not None and cap.air.air.records and all(
                k.startswith("link type") for k in cap.air.air.counts):
            print(f"nl80211dec: --air {args.air}: no 802.11 frames in it (not a radiotap or 802.11 capture)",
                  file=sys.stderr)
            return EXIT_NOT_CAPTURE
        flt = _compiled(args)
        ctx = Context(AttemptIndex(cap.attempts()) if _needs_attempts(args) else None)
        fmt.context = ctx
        clock = fmt.clock = Clock()
        head = fmt.header(path) if show_header else None
        if head:
            out.write(head)
        cmds = {_norm_cmd(c) for c in args.cmd}
        ifindexes = set(args.ifindex)
        filtering = bool(flt is not None or cmds or ifindexes)
        seen = _Selection(records=bool(args.write))
        verdicts: set[str] = set()  # the distinct verdicts (for --fail-on): not one entry per attempt
        status = EXIT_OK
        size = os.path.getsize(path) if path != "-" and not path.endswith(".gz") else None
        progress = _Progress(os.path.basename(path), size)
        flush = args.follow or path == "-"
        with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
            t0: float | None = None
            try:
                n = 0
                for item in cap.stream(attempts=not args.no_attempts):
                    if isinstance(item, Attempt):
                        if not filtering or seen.shown(item):
                            spool.write(fmt.attempt(item, t0))
                            verdicts.add(item.verdict)
                        continue
                    n += 1
                    if t0 is None:
                        t0 = ctx.t0 = item.timestamp
                    clock.seen(item.timestamp)
                    if item.family_id is not None:
                        seen.family_ids[item.family_id] += 1
                    if n % 2048 == 0 and cap.reader is not None:
                        progress.update(cap.reader.position, n)
                    shown = _selected(item, cmds, ifindexes) and (flt is None or flt(item, ctx))
                    if shown:
                        if filtering:  # the selection is only asked when something was filtered
                            seen.add(item)
                        if fmt.messages:
                            out.write(fmt.message(item, t0))
                            if flush:
                                out.flush()
                    clock.passed(item.timestamp, shown)
                    ctx.advance(item)
            except DecodeError as e:  # defensive: layers report damage in-band
                print(f"nl80211dec: {path}: {e}", file=sys.stderr)
                status = EXIT_MALFORMED
            progress.close()
            spool.seek(0)
            shutil.copyfileobj(spool, out)
        summary = cap.summary
        out.write(fmt.summary(summary, path if show_header else None))
        out.flush()
        if summary.damage:
            print(f"nl80211dec: {path}: damaged: {summary.damage}", file=sys.stderr)
        if summary.malformed or summary.malformed_records or summary.damage:
            status = max(status, EXIT_MALFORMED)
        problem = _nothing_decoded(path, summary) or _family_unused(path, families, seen.family_ids)
        if problem:
            print(f"nl80211dec: {problem}", file=sys.stderr)
            return EXIT_NOT_CAPTURE
        if args.write:
            status = _worse(status, _write_records(cap, path, args.write, seen.records if filtering else None))
        if args.fail_on and _fails(verdicts, args.fail_on):
            status = _worse(status, EXIT_VERDICT)
    return status


def _fails(verdicts: Collection[str], mode: str) -> bool:
    if mode == "any" and not verdicts:
        return True
    return any(v not in PASSING[mode] for v in verdicts)


def _worse(a: int, b: int) -> int:
    return a if _RANK[a] >= _RANK[b] else b


def _nothing_decoded(path: str, summary: Any) -> str | None:
    """A capture whose every record was skipped for its link type decoded nothing: that is an error."""
    if not summary.records or summary.messages:
        return None
    reasons = [r for r in summary.skipped if r.startswith("link type ")]
    if not reasons or sum(summary.skipped[r] for r in reasons) != summary.records:
        return None
    lt = int(reasons[0].split()[2])
    return None if lt in AIR_LINKTYPES else _no_netlink(path, lt)


def _family_unused(path: str, families: dict[str, int], ids: Counter[int]) -> str | None:
    """--family named an id no message has: the user's id is wrong (and the capture's own is elsewhere)."""
    for name, fid in families.items():
        if ids[fid] == 0:
            others = ", ".join(f"{i:#x} ({n} messages)" for i, n in ids.most_common(4) if i != 0x10)
            hint = f"; the ids it has: {others}" if others else ""
            return f"--family {name}={fid:#x}: no message in {path} has generic netlink id {fid:#x}{hint}"
    return None


def _write_records(cap: Capture, path: str, out_path: str, numbers: set[int] | None) -> int:
    """-w: the chosen records (all when nothing was filtered) to a new file, as they were read."""
    from .capture.save import RecordWriter, format_for

    if cap.input == "log":
        print(f"nl80211dec: -w {out_path}: {path} has no records to write", file=sys.stderr)
        return EXIT_NOT_CAPTURE
    reader = cap.records()
    try:
        with open(out_path, "wb") as f:
            w = RecordWriter(f, format_for(out_path))
            for rec in reader:
                if numbers is None or rec.number in numbers:
                    w.write(rec)
            w.finish()
    except (OSError, ValueError) as e:
        print(f"nl80211dec: -w {out_path}: {getattr(e, 'strerror', None) or e}", file=sys.stderr)
        return EXIT_NOT_CAPTURE
    return EXIT_OK


@contextmanager
def _opened(path: str, args: argparse.Namespace, families: dict[str, int]) -> Iterator[Capture | None]:
    """The capture of ``path`` (None after a one-line error); --follow reads it as it grows."""
    kwargs: dict[str, Any] = dict(families=families, assume=not args.no_assume, air=args.air, memo=not args.no_memo)
    if args.logs:
        kwargs["logs"] = list(args.logs)
    if not args.follow:
        yield _open_capture(path, **kwargs)
        return
    import io

    from .capture.follow import Follow

    try:
        raw = Follow(open(path, "rb"))  # noqa: SIM115 - closed below
    except OSError as e:
        print(f"nl80211dec: {path}: {e.strerror or e}", file=sys.stderr)
        yield None
        return
    previous = signal.signal(signal.SIGINT, lambda *_: raw.stop()) if _main_thread() else None
    try:
        yield _open_capture(io.BufferedReader(raw), label=path, **kwargs)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
        raw.close()


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _render_to_temp(job: tuple[str, argparse.Namespace, dict[str, int]]) -> tuple[str, int]:
    """Batch worker: one file rendered into a temporary file (the parent copies it in order)."""
    path, args, families = job
    fd, name = tempfile.mkstemp(prefix="nl80211dec-", suffix=".out")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        status = render_file(path, args, out, families, show_header=True)
    return name, status


def _open_capture(path: Any, label: str | None = None, **kwargs: Any) -> Capture | None:
    """Open ``path`` (``-`` is standard input), or say on stderr in one line why it cannot be read (None)."""
    from .api import Capture

    label = label or str(path)
    try:
        return Capture(sys.stdin.buffer if path == "-" else path, **kwargs)
    except NotACaptureError as e:
        print(f"nl80211dec: {label}: {e.message}", file=sys.stderr)
    except OSError as e:
        print(f"nl80211dec: {getattr(e, 'filename', None) or label}: {e.strerror or e}", file=sys.stderr)
    except TypeError as e:
        if "logs" in str(e):
            print("nl80211dec: --log is not supported yet by this version's API (Capture has no logs=)",
                  file=sys.stderr)
            return None
        raise
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


def list_fields() -> str:
    from .query import FIELDS

    rows = [f"{f.name:<20} {f.kind:<6} {f.help}" for f in FIELDS.values()]
    rows.append(f"{'attr.NAME':<20} {'attr':<6} any attribute by its name (attr.STATUS_CODE, attr.BSS.BSSID)")
    return "\n".join(rows) + "\n"


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["diff"]:
        return diff_main(argv[1:])
    if argv[:1] == ["live"]:
        from .live.cli import main as live_main  # the live capture's own options and checks

        return live_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_fields:
        sys.stdout.write(list_fields())
        return EXIT_OK
    if not args.files:
        parser.error("give a capture FILE, a directory, or - for standard input")
    # the decoder is imported inside render_file, so --help and --version start fast
    from .netlink.genl import parse_family_option
    from .render.colour import wanted

    try:
        families = dict(parse_family_option(f) for f in args.family)
    except ValueError as e:
        raise UsageError(f"--family: {e}") from None
    check_options(args)
    if args.air:
        check_air(args.air)
    args.colour_on = wanted(args.color, sys.stdout) and format_name(args) in ("text", "verbose", "sae")
    files = _expand(args.files)
    if not files:
        raise UsageError("no capture files found")
    if args.write and len(files) > 1:
        raise UsageError(f"-w writes one input's records; {len(files)} inputs were given")
    out = sys.stdout
    if format_name(args) == "fields":
        out.write(_make_format(args, "", False).preamble())
    jobs = args.jobs or os.cpu_count() or 1
    if len(files) == 1 or jobs == 1:
        status = EXIT_OK
        for path in files:
            status = _worse(status, render_file(path, args, out, families, show_header=len(files) > 1))
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
            status = _worse(status, st)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    return status

"""Mutate real inputs and check the decoder's promises on the result, per target.

Used by the hypothesis tests (bounded, in CI), by ``tools/fuzz_campaign.py``
(a million cases and more) and by ``tools/fuzz_atheris.py`` (coverage-guided).
The promises: nothing escapes but :class:`~nl80211dec.errors.DecodeError`;
every record is accounted for in the summary; every message renders as text
(no control byte, no bidirectional override: the escaping rule) and as valid
JSON; attempts are rebuilt without error; the command line returns an exit
status (0-3), never a traceback, and always prints its summary.

The targets (:data:`TARGETS`) and what each feeds: ``pcap`` (classic pcap,
mutations aimed at record payloads), ``pcapng`` (the seeds converted),
``gzip`` (compressed seeds, the deflate stream itself damaged), ``air``
(a netlink capture and its monitor capture, either damaged), ``iwmon-text``
(iwmon's text decode), ``journal`` (journals and daemon logs, alone and as
``logs=``), ``dataframe`` (``to_dataframe``/``attempts_dataframe``),
``diff`` (a capture against its damaged copy) and ``cli`` (``main(argv)``
in-process, on files).  Seeds come from every shipped capture
(:func:`load_seeds`); a case is a pure function of (target, seed), so any
finding replays from its number.
"""

from __future__ import annotations

import gzip
import json
import random
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..api import Capture
from ..capture.reader import CaptureReader, Record
from ..errors import DecodeError
from ..render import jsonl, text
from ..render.ladder import ladder_lines
from ..sequence import Attempt, Sequencer

MUTATIONS = ("flip", "insert", "delete", "truncate", "length", "splice")


def payload_ranges(data: bytes) -> list[tuple[int, int]]:
    """Where the record payloads of a classic pcap are (to aim mutations past the framing)."""
    try:
        return [(r.offset + 16, r.offset + 16 + len(r.data)) for r in CaptureReader(data) if r.data]
    except DecodeError:
        return []


def mutate(data: bytes, rng: random.Random, rounds: int = 1,
           ranges: list[tuple[int, int]] | None = None) -> tuple[bytes, list[str]]:
    """Apply ``rounds`` random mutations; return the bytes and what was done.

    With ``ranges`` (see :func:`payload_ranges`), most mutations overwrite bytes
    inside a record's payload, keeping the file's framing, so the netlink,
    nl80211, 802.11 and SAE layers see the damage rather than the pcap reader.
    """
    buf = bytearray(data)
    done = []
    for _ in range(rounds):
        if not buf:
            break
        if ranges and rng.random() < 0.75:
            start, end = ranges[rng.randrange(len(ranges))]
            if end <= len(buf):
                pos = rng.randrange(start, end)
                kind = rng.choice(("flip", "length", "byte"))
                if kind == "flip":
                    buf[pos] ^= 1 << rng.randrange(8)
                elif kind == "byte":
                    buf[pos] = rng.randrange(256)
                else:
                    width = rng.choice((1, 2, 4))
                    value = rng.choice((0, 1, 3, 4, 0xFF, rng.randrange(1 << (8 * width))))
                    buf[pos:min(pos + width, end)] = value.to_bytes(width, "little")[: min(width, end - pos)]
                done.append(f"payload-{kind}@{pos}")
                continue
        if not buf:  # an earlier round truncated everything: nothing left to mutate
            done.append("empty")
            break
        kind = rng.choice(MUTATIONS)
        pos = rng.randrange(len(buf))
        if kind == "flip":
            buf[pos] ^= 1 << rng.randrange(8)
        elif kind == "insert":
            buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif kind == "delete":
            del buf[pos:pos + rng.randint(1, 8)]
        elif kind == "truncate":
            del buf[pos:]
        elif kind == "length":
            # a plausible length field: u16/u32, little or big endian
            width, order = rng.choice([(2, "<"), (4, "<"), (2, ">"), (4, ">")])
            value = rng.choice([0, 1, 3, 4, 15, 16, 17, 0xFFFF, 0xFFFFFFFF, rng.randrange(1 << (8 * width))])
            value &= (1 << (8 * width)) - 1
            buf[pos:pos + width] = struct.pack(order + ("H" if width == 2 else "I"), value)[: len(buf) - pos]
        else:  # splice a copy of another region in
            start = rng.randrange(len(buf))
            chunk = buf[start:start + rng.randint(4, 64)]
            buf[pos:pos] = chunk
        done.append(f"{kind}@{pos}")
    return bytes(buf), done


def shown(lines: list[str], where: str) -> None:
    """The escaping rule holds on rendered text: every character printable (or a tab), one line per item."""
    for line in lines:
        if not line.replace("\t", " ").isprintable():
            bad = next(ch for ch in line if ch != "\t" and not ch.isprintable())
            raise AssertionError(f"{where}: {bad!r} reached text output in {line[:160]!r}")


def _attempt(att: Attempt) -> None:
    shown(ladder_lines(att), "ladder")
    json.loads(jsonl.dumps(att.as_dict()))


def exercise(data: bytes) -> dict:
    """Decode, render and sequence ``data``; raise AssertionError if a promise is broken."""
    try:
        cap = Capture(data)
    except DecodeError:
        return {"capture": False}
    seq = Sequencer()
    messages = 0
    t0 = None
    for msg in cap:
        messages += 1
        t0 = msg.timestamp if t0 is None else t0
        shown(text.message_lines(msg, t0), "message")
        json.loads(jsonl.message_json(msg))
        for att in seq.feed(msg):
            _attempt(att)
    for att in seq.finish():
        _attempt(att)
    s = cap.summary
    _accounts(cap, messages)
    shown(text.summary_lines(s), "summary")
    json.loads(jsonl.dumps(s.as_dict()))
    return {"capture": True, "records": s.records, "messages": messages, "damaged": s.damage is not None}


def _accounts(cap: Capture, messages: int | None) -> None:
    """The summary accounts for every record the reader gave (and every packet block nobody could read)."""
    s = cap.summary
    reader = cap.reader
    reader_records = (getattr(reader, "records", 0) + sum(getattr(reader, "unreadable", {}).values())
                      if reader is not None else 0)
    assert s.records == reader_records, (s.records, reader_records)
    assert s.records == s.decoded_records + s.malformed_records + s.skipped_records, s.as_dict()
    if messages is not None:
        assert s.messages == messages, (s.messages, messages)


def head_of(data: bytes, records: int) -> bytes:
    """The file header and the first ``records`` records of a classic pcap (a small real seed)."""
    reader = CaptureReader(data)
    end = 24
    for i, rec in enumerate(reader):
        if i >= records:
            break
        end = rec.offset + 16 + len(rec.data)
    return data[:end]


# -- seeds from every shipped capture ------------------------------------------------------------------------

INTERESTING = frozenset({"CONNECT", "AUTHENTICATE", "EXTERNAL_AUTH", "FRAME", "ASSOCIATE"})
HEAD_RECORDS = 4  # the first records (NEWFAMILY, usually) kept before a seed's window
WINDOW = 16  # records from the first SAE-relevant message on
TEXT_LINES = 120
MAX_SEED = 64 << 10


def _pcap_of(data: bytes, picked: list[Record]) -> bytes:
    """A classic pcap of the file header and the ``picked`` records, byte for byte."""
    return data[:24] + b"".join(data[r.offset:r.offset + 16 + len(r.data)] for r in picked)


def window_of(data: bytes, head: int = HEAD_RECORDS, window: int = WINDOW) -> tuple[bytes, float, float]:
    """A small real seed: the first records and a window from the first SAE-relevant message; its time span.

    The heads alone of the lab files are rtnetlink chatter; the window makes the
    seed carry CONNECT, the SAE frames and their TX status.
    """
    reader = CaptureReader(data)
    records = list(reader)
    reader.close()
    start = len(records)
    try:
        for i, msg in enumerate(Capture(data)):
            if msg.cmd_name in INTERESTING:
                start = i
                break
    except DecodeError:
        pass
    picked = records[:head] + records[max(head, start - 2):max(head, start - 2) + window]
    if not picked:
        return data[:24], 0.0, 0.0
    return _pcap_of(data, picked), picked[0].timestamp, picked[-1].timestamp


def air_window(data: bytes, t0: float, t1: float, most: int = 40) -> bytes:
    """The monitor capture's records inside a netlink seed's time span (a little slack either side)."""
    reader = CaptureReader(data)
    picked = [r for r in reader if t0 - 0.5 <= r.timestamp <= t1 + 0.5][:most]
    reader.close()
    if not picked:  # clocks apart: the first records, so the join still has something to try
        picked = list(CaptureReader(data))[:most]
    return _pcap_of(data, picked)


def text_window(raw: bytes, words: tuple[bytes, ...], lines: int = TEXT_LINES) -> bytes:
    """About ``lines`` lines of a text file from the first line naming one of ``words`` (else its head)."""
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    rows = raw.splitlines(keepends=True)
    start = next((i for i, row in enumerate(rows) if any(w in row for w in words)), 0)
    start = max(0, start - 5)
    return b"".join(rows[start:start + lines])[:MAX_SEED]


@dataclass
class Seeds:
    """Real inputs to mutate, per kind: netlink captures, (netlink, air) pairs, iwmon text, logs."""

    pcaps: list[bytes] = field(default_factory=list)
    pairs: list[tuple[bytes, bytes]] = field(default_factory=list)
    iwmon_text: list[bytes] = field(default_factory=list)
    logs: list[bytes] = field(default_factory=list)
    names: dict[str, int] = field(default_factory=dict)

    def ranges(self) -> list[list[tuple[int, int]]]:
        return [payload_ranges(b) for b in self.pcaps]


IWMON_WORDS = (b"Connect (0x2e)", b"Authenticate", b"External Auth", b"Frame (0x3b)")
LOG_WORDS = (b"SAE", b"sae", b"auth", b"Connect", b"CTRL-EVENT", b"brcmf")


def load_seeds(root: Path, *, limit: int | None = None) -> Seeds:
    """Seeds from every capture folder under ``root/captures`` and the reproducers in ``root/tests/data``.

    Both iwmon.pcap and nlmon.pcap of each lab folder, every scenario capture with
    its air file, the iwmon text and the logs beside them; ``limit`` folders only
    (for a quick run).  Deterministic: folders and files are sorted.
    """
    seeds = Seeds()
    folders = sorted(p for p in (root / "captures").iterdir() if p.is_dir())[:limit]
    for folder in folders:
        for pcap in sorted(folder.glob("*.pcap")):
            if pcap.name.endswith(".air.pcap") or pcap.name == "air.pcap":
                continue
            try:
                seed, t0, t1 = window_of(pcap.read_bytes())
            except DecodeError:
                continue
            seeds.names[f"{folder.name}/{pcap.name}"] = len(seeds.pcaps)
            seeds.pcaps.append(seed)
            air = folder / ("air.pcap" if pcap.name in ("iwmon.pcap", "nlmon.pcap")
                            else pcap.name.replace(".pcap", ".air.pcap"))
            if air.exists() and pcap.name != "nlmon.pcap":
                try:
                    seeds.pairs.append((seed, air_window(air.read_bytes(), t0, t1)))
                except DecodeError:
                    pass
        for txt in sorted(folder.rglob("*.txt.gz")) + sorted(folder.rglob("*.log*")) + sorted(
                folder.rglob("*.txt")):
            raw = txt.read_bytes()
            if "iwmon" in txt.name:
                seeds.iwmon_text.append(text_window(raw, IWMON_WORDS))
            elif "journal" in txt.name or txt.name.endswith((".log", ".log.gz")):
                seeds.logs.append(text_window(raw, LOG_WORDS))
    data = root / "tests" / "data" / "robustness"
    for p in sorted(data.glob("*.pcap")) + sorted(data.glob("*.pcapng")):
        seeds.names[f"tests/data/robustness/{p.name}"] = len(seeds.pcaps)
        seeds.pcaps.append(p.read_bytes()[:MAX_SEED])
    return seeds


# -- mutations beyond the binary ones -------------------------------------------------------------------------

HOSTILE_TEXT = (b"\x1b[31m", b"\x1b]0;owned\x07", b"\r", b"\x08\x08", b"\x7f", b"\xe2\x80\xae", b"\xff\xfe",
                b"\n> Event: nl80211 CONNECT (0x2e) len 4   1.0\n", b"\nSummary: 0 records\n", b"\x00",
                b"\\x41", b"> ", b"\r\n", b"\t", b" " * 300, b"A" * 70000, b"\xf3\xa0\x80\x81")


def mutate_text(data: bytes, rng: random.Random, rounds: int = 1) -> tuple[bytes, list[str]]:
    """Line-level damage as mail and terminals do it (cut, doubled, swapped, quoted, wrapped lines) plus
    hostile bytes (ANSI, CR, bidi overrides, forged message and summary lines) and the binary mutations."""
    lines = data.splitlines(keepends=True) or [b""]
    done = []
    for _ in range(rounds):
        kind = rng.choice(("delete", "double", "swap", "cut", "quote", "hostile", "wrap", "crlf", "digit",
                           "binary"))
        i = rng.randrange(len(lines))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "double":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "cut":
            lines[i] = lines[i][:rng.randrange(len(lines[i]) + 1)]
        elif kind == "quote":
            lines[i] = b"> " + lines[i]
        elif kind == "hostile":
            pos = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:pos] + rng.choice(HOSTILE_TEXT) + lines[i][pos:]
        elif kind == "wrap" and len(lines[i]) > 10:
            pos = rng.randrange(1, len(lines[i]))
            lines[i:i + 1] = [lines[i][:pos] + b"\n", lines[i][pos:]]
        elif kind == "crlf":
            lines[i] = lines[i].replace(b"\n", b"\r\n")
        elif kind == "digit":  # numbers are what the text readers parse: lengths, times, values
            digits = [k for k, c in enumerate(lines[i]) if 48 <= c <= 57]
            if digits:
                k = rng.choice(digits)
                lines[i] = lines[i][:k] + rng.choice((b"0", b"9", b"99999999999", b"-1", b"x")) + lines[i][k + 1:]
        else:
            blob, how = mutate(b"".join(lines), rng, 1)
            lines = blob.splitlines(keepends=True) or [b""]
            done.extend(how)
            continue
        done.append(f"text-{kind}@{i}")
    return b"".join(lines), done


def mutate_gzip(data: bytes, rng: random.Random, rounds: int = 1) -> tuple[bytes, list[str]]:
    """Compressed bytes: either the content damaged and then compressed, or the deflate stream damaged."""
    if rng.random() < 0.3:
        inner, done = mutate(data, rng, rounds)
        return gzip.compress(inner, mtime=0), ["inner", *done]
    packed = bytearray(gzip.compress(data, mtime=0))
    done = []
    for _ in range(rounds):
        kind = rng.choice(("flip", "flip", "truncate", "byte", "trailer", "concat"))
        pos = rng.randrange(10, max(11, len(packed) - 8)) if len(packed) > 18 else rng.randrange(len(packed))
        if kind == "flip":
            packed[pos] ^= 1 << rng.randrange(8)
        elif kind == "byte":
            packed[pos] = rng.randrange(256)
        elif kind == "truncate":
            del packed[pos:]
        elif kind == "trailer" and len(packed) >= 8:  # CRC or ISIZE wrong
            packed[-rng.randint(1, 8)] ^= 0xFF
        else:  # a second member, maybe garbage
            packed += gzip.compress(data[:rng.randrange(len(data) + 1)], mtime=0) if rng.random() < 0.5 else bytes(
                rng.randrange(256) for _ in range(rng.randint(1, 16)))
        done.append(f"gz-{kind}@{pos}")
    return bytes(packed), done


# -- targets ---------------------------------------------------------------------------------------------------

@dataclass
class Case:
    """One fuzz case: the target, its inputs by file name, and the mutations that made them."""

    target: str
    inputs: dict[str, bytes]
    what: list[str]
    argv: list[str] = field(default_factory=list)


def _pcap_case(seeds: Seeds, ranges: list, rng: random.Random) -> tuple[int, bytes, list[str]]:
    k = rng.randrange(len(seeds.pcaps))
    data, what = mutate(seeds.pcaps[k], rng, rng.randint(1, 6), ranges[k])
    return k, data, what


def _pcapng(seed: bytes) -> bytes:
    from .writers import pcap_to_pcapng

    try:
        return pcap_to_pcapng(seed, tsresol=9 if seed[0] & 1 else 6)
    except DecodeError:
        return seed


DIRECTORY_ARG = "{dir}"
CLI_MODES: tuple[tuple[str, ...], ...] = ((), ("--sae",), ("-V",), ("-V", "-x"), ("--json",), ("--sae", "--json"),
                                          ("-e", "index", "-e", "cmd", "-e", "attr.STATUS_CODE", "-E", "header=y"),
                                          ("-Y", "cmd == FRAME"), ("-t", "ad"), ("--sae", "--fail-on", "failure"),
                                          ("--no-memo", "-V"), ("--family", "nl80211=0x1c", "--no-assume"))


def make_case(target: str, seeds: Seeds, ranges: list, rng: random.Random) -> Case:
    """A case for ``target`` from the seeds; everything drawn from ``rng`` (deterministic by seed)."""
    rounds = rng.randint(1, 6)
    if target == "pcap":
        _k, data, what = _pcap_case(seeds, ranges, rng)
        return Case(target, {"capture.pcap": data}, what)
    if target == "pcapng":
        data, what = mutate(_pcapng(seeds.pcaps[rng.randrange(len(seeds.pcaps))]), rng, rounds)
        return Case(target, {"capture.pcapng": data}, what)
    if target == "gzip":
        pool = rng.choice((seeds.pcaps, seeds.pcaps, seeds.iwmon_text, seeds.logs)) or seeds.pcaps
        seed = pool[rng.randrange(len(pool))]
        if pool is seeds.pcaps and rng.random() < 0.3:
            seed = _pcapng(seed)
        data, what = mutate_gzip(seed, rng, rng.randint(1, 3))
        return Case(target, {"capture.pcap.gz": data}, what)
    if target == "air":
        net, air = seeds.pairs[rng.randrange(len(seeds.pairs))]
        what = []
        if rng.random() < 0.8:
            air, what = mutate(air, rng, rounds, payload_ranges(air))
        if rng.random() < 0.4:
            net, more = mutate(net, rng, rng.randint(1, 3), payload_ranges(net))
            what += ["net:", *more]
        if rng.random() < 0.1:
            air, more = mutate_gzip(air, rng)
            what += more
        return Case(target, {"capture.pcap": net, "air.pcap": air}, what)
    if target == "iwmon-text":
        data, what = mutate_text(seeds.iwmon_text[rng.randrange(len(seeds.iwmon_text))], rng, rounds)
        return Case(target, {"iwmon.txt": data}, what)
    if target == "journal":
        data, what = mutate_text(seeds.logs[rng.randrange(len(seeds.logs))], rng, rounds)
        beside = seeds.pcaps[rng.randrange(len(seeds.pcaps))]
        return Case(target, {"journal.txt": data, "capture.pcap": beside}, what)
    if target == "dataframe":
        k, data, what = _pcap_case(seeds, ranges, rng)
        if rng.random() < 0.2:  # timestamps pandas cannot hold: seconds in the year 300,000 and before 1677
            buf = bytearray(data)
            for r in payload_ranges(data)[:3]:
                buf[r[0] - 16:r[0] - 12] = rng.choice((b"\xff\xff\xff\xff", b"\x00\x00\x00\x80"))
            data = bytes(buf)
            what.append("ts-extreme")
        return Case(target, {"capture.pcap": data}, what)
    if target == "diff":
        k, data, what = _pcap_case(seeds, ranges, rng)
        return Case(target, {"good.pcap": seeds.pcaps[k], "bad.pcap": data}, what)
    if target == "cli":
        kind = rng.choice(("pcap", "pcap", "pcapng", "gzip", "iwmon-text", "journal", "air"))
        inner = make_case(kind, seeds, ranges, rng)
        argv = list(rng.choice(CLI_MODES))
        if kind == "air":
            argv += ["capture.pcap", "--air", "air.pcap"]
        elif kind == "journal":
            argv += rng.choice((["journal.txt"], ["capture.pcap", "--log", "journal.txt"]))
        elif rng.random() < 0.05:  # a folder batch: every file in it decoded, one bad one stops nothing
            argv += ["--jobs", "1", DIRECTORY_ARG]
        else:
            argv += list(inner.inputs)
        return Case(target, inner.inputs, [kind, *inner.what], argv)
    raise ValueError(f"unknown target {target!r}")


def _stream(cap: Capture) -> int:
    """One full pass with attempts, everything rendered and checked; the number of messages."""
    messages = 0
    t0 = None
    for item in cap.stream():
        if isinstance(item, Attempt):
            _attempt(item)
            continue
        messages += 1
        t0 = item.timestamp if t0 is None else t0
        shown(text.message_lines(item, t0), "message")
        json.loads(jsonl.message_json(item))
    shown(text.summary_lines(cap.summary), "summary")
    json.loads(jsonl.dumps(cap.summary.as_dict()))
    return messages


def _api(source: bytes, **kwargs: Any) -> Capture | None:
    try:
        return Capture(source, **kwargs)
    except DecodeError:
        return None


def run_case(case: Case) -> dict[str, Any]:
    """Run one case; AssertionError (a broken promise) or any foreign exception is a finding."""
    t = case.target
    if t in ("pcap", "pcapng", "gzip", "iwmon-text"):
        return exercise(next(iter(case.inputs.values())))
    if t == "air":
        cap = _api(case.inputs["capture.pcap"], air=case.inputs["air.pcap"])
        if cap is None:
            return {"capture": False}
        try:
            messages = _stream(cap)
        except DecodeError:  # an air capture that is not one: said before any output
            return {"capture": True, "air": False}
        _accounts(cap, messages)
        return {"capture": True, "messages": messages, "damaged": cap.summary.damage is not None}
    if t == "journal":
        return _journal(case.inputs["journal.txt"], case.inputs["capture.pcap"])
    if t == "dataframe":
        return _dataframe(case.inputs["capture.pcap"])
    if t == "diff":
        return _diff(case.inputs["good.pcap"], case.inputs["bad.pcap"])
    if t == "cli":
        return run_cli(case)
    raise ValueError(f"unknown target {t!r}")


def _journal(log: bytes, beside: bytes) -> dict[str, Any]:
    from ..textlog.journal import read_log

    try:
        read = read_log(log)
        events = sum(1 for _ in read)
    except DecodeError:
        return {"capture": False}
    assert read.unplaced_count >= len(read.unplaced), (read.unplaced_count, len(read.unplaced))
    assert events <= read.lines + 1, (events, read.lines)
    for src, kwargs in ((log, {}), (beside, {"logs": [log]})):
        cap = _api(src, **kwargs)
        if cap is None:
            continue
        messages = _stream(cap)
        if src is beside:
            _accounts(cap, messages)
    return {"capture": True, "events": events}


_PANDAS: list[bool] = []


def _dataframe(data: bytes) -> dict[str, Any]:
    if not _PANDAS:
        try:
            import pandas  # noqa: F401
            _PANDAS.append(True)
        except ImportError:
            _PANDAS.append(False)
    cap = _api(data)
    if cap is None or not _PANDAS[0]:
        return {"capture": cap is not None}
    df = cap.to_dataframe()
    assert len(df) == cap.summary.messages, (len(df), cap.summary.messages)
    adf = cap.attempts_dataframe()
    attempts = cap.attempts()
    assert len(adf) == len(attempts)
    # the notebook's other views of the same capture: HTML (escaped twice: the rule, then markup) and filters
    from ..render.html import attempt_html, message_html

    for piece in [message_html(m) for m in cap.filter("cmd == FRAME or attempt == 1")[:20]] + [
            attempt_html(a) for a in attempts[:5]]:
        shown(piece.split("\n"), "html")
        assert "<script" not in piece.lower() and "\x1b" not in piece
    return {"capture": True, "messages": len(df)}


def _diff(good: bytes, bad: bytes) -> dict[str, Any]:
    from ..diff import diff_attempts

    caps = [_api(good), _api(bad)]
    if caps[0] is None or caps[1] is None:
        return {"capture": False}
    out = diff_attempts(caps[0].attempts(), caps[1].attempts())
    for d in out:
        shown(d.text().splitlines(), "diff")
        json.loads(jsonl.dumps(d.as_dict()))
    return {"capture": True, "differences": len(out)}


EXIT_STATUSES = frozenset({0, 1, 2, 3})
DIRECTORY = DIRECTORY_ARG  # in a case's argv: the folder holding its files


def run_cli(case: Case, directory: Path | None = None) -> dict[str, Any]:
    """``main(argv)`` in-process on the case's files: an exit status, never a traceback; the summary printed
    whenever the input was read (0/1); one ``nl80211dec:`` line on stderr when it was not (2); text output
    holds no control byte but newline and tab, JSON lines parse."""
    import contextlib
    import io
    import tempfile

    from ..cli import main

    with contextlib.ExitStack() as stack:
        if directory is None:
            directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="nl80211dec-fuzz-")))
        paths = {}
        for name, data in case.inputs.items():
            p = directory / name
            p.write_bytes(data)
            paths[name] = str(p)
        argv = [paths.get(a, str(directory) if a == DIRECTORY else a) for a in case.argv]
        out, err = io.BytesIO(), io.StringIO()
        stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict", newline="\n", write_through=True)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(err):
            try:
                status = main(argv)
            except SystemExit as e:  # main returns its status; an exit from inside it is a finding
                raise AssertionError(f"main({argv}) raised SystemExit({e.code})") from None
        stdout.flush()
        printed = out.getvalue().decode("utf-8")
        errors = err.getvalue()
    assert status in EXIT_STATUSES, (status, argv)
    assert "Traceback" not in errors, errors[-400:]
    json_mode = "--json" in case.argv
    fields_mode = "-e" in case.argv
    if status in (0, 1, 3):
        if json_mode:
            rows = [json.loads(line) for line in printed.splitlines() if line]
            assert rows and rows[-1].get("kind") == "summary", "no summary row last"
        elif not fields_mode:
            assert "\nSummary: " in printed or printed.startswith("Summary: "), "no summary line"
    else:
        assert errors.startswith("nl80211dec: "), errors[:200]  # which input or option, in one line
    if not json_mode:
        shown(printed.split("\n"), "cli output")
    shown(errors.rstrip("\n").split("\n"), "cli stderr")
    return {"capture": status != 2, "status": status}


TARGETS: tuple[str, ...] = ("pcap", "pcapng", "gzip", "air", "iwmon-text", "journal", "dataframe", "diff", "cli")

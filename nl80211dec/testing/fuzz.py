"""Mutate real captures and check the decoder's promises on the result.

Used by the hypothesis tests (bounded, in CI) and by ``tools/fuzz_campaign.py``
(a million cases and more).  The promises: nothing escapes but
:class:`~nl80211dec.errors.DecodeError`; every record is accounted for in the
summary; every message renders as text and as valid JSON; attempts are
rebuilt without error.
"""

from __future__ import annotations

import json
import random
import struct

from ..api import Capture
from ..capture.reader import CaptureReader
from ..errors import DecodeError
from ..render import jsonl, text
from ..render.ladder import ladder_lines
from ..sequence import Sequencer

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
        text.message_lines(msg, t0)
        json.loads(jsonl.message_json(msg))
        for att in seq.feed(msg):
            ladder_lines(att)
            json.loads(jsonl.dumps(att.as_dict()))
    for att in seq.finish():
        ladder_lines(att)
        json.loads(jsonl.dumps(att.as_dict()))
    s = cap.summary
    reader_records = cap.reader.records if cap.reader is not None else 0
    assert s.records == reader_records, (s.records, reader_records)
    assert s.records == s.decoded_records + s.malformed_records + s.skipped_records, s.as_dict()
    assert s.messages == messages
    text.summary_lines(s)
    json.loads(jsonl.dumps(s.as_dict()))
    return {"capture": True, "records": s.records, "messages": messages, "damaged": s.damage is not None}


def head_of(data: bytes, records: int) -> bytes:
    """The file header and the first ``records`` records of a classic pcap (a small real seed)."""
    reader = CaptureReader(data)
    end = 24
    for i, rec in enumerate(reader):
        if i >= records:
            break
        end = rec.offset + 16 + len(rec.data)
    return data[:end]

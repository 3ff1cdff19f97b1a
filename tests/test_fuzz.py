"""Damaged and hostile captures: only the library's own error, nothing lost, everything renders.

The seeds are real captures (the head of an iwmon and an nlmon file); the long
campaign is ``python tools/fuzz_campaign.py --cases 1000000`` (or
``python -m pytest -m fuzz``).
"""

from __future__ import annotations

import gzip
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nl80211dec.testing.fuzz import exercise, head_of, mutate, payload_ranges
from nl80211dec.testing.scenarios import build

from .golden_util import CAPTURES

SEEDS = [
    head_of((CAPTURES / "iwd-sae-ok" / "iwmon.pcap").read_bytes(), 40),
    head_of((CAPTURES / "wpas-sae-ok" / "nlmon.pcap").read_bytes(), 25),
    build("ok"),
]
RANGES = [payload_ranges(s) for s in SEEDS]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from(range(len(SEEDS))), st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_mutated_real_captures_keep_every_promise(seed_index, rng_seed, rounds):
    data, _what = mutate(SEEDS[seed_index], random.Random(rng_seed), rounds, RANGES[seed_index])
    exercise(data)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=600))
def test_structured_garbage_after_a_valid_header(body):
    exercise(SEEDS[0][:24] + body)


def test_truncation_at_every_offset_of_a_real_capture():
    seed = head_of((CAPTURES / "iwd-sae-ok" / "iwmon.pcap").read_bytes(), 8)
    full = exercise(seed)
    for cut in range(len(seed)):
        out = exercise(seed[:cut])
        if out["capture"]:
            assert out["records"] <= full["records"]


def test_gzip_truncated_anywhere():
    packed = gzip.compress(SEEDS[2])
    for cut in range(0, len(packed), 7):
        exercise(packed[:cut])


def test_deep_nesting_is_bounded():
    """Attributes nested far deeper than any policy: decoded to the bound, then flagged."""
    from nl80211dec.nl80211.decode import MAX_DEPTH, decode_attrs
    from nl80211dec.testing.writers import nlattr

    inner = b""
    for _ in range(200):
        inner = nlattr(21, inner, nested=True)  # STA_INFO inside STA_INFO ...
    attrs = decode_attrs(inner, 0, len(inner))
    depth, node = 0, attrs[0]
    while node.children:
        depth += 1
        node = node.children[0]
    assert depth <= MAX_DEPTH + 1


@pytest.mark.fuzz
def test_long_campaign():
    rng = random.Random(20261127)
    for i in range(200_000):
        data, _ = mutate(SEEDS[i % len(SEEDS)], rng, rng.randint(1, 6), RANGES[i % len(SEEDS)])
        exercise(data)


def test_regression_absurd_errno_renders():
    """Found by the campaign: errno -2**31 overflowed os.strerror."""
    from nl80211dec.wire.text import describe_errno

    assert describe_errno(-(2**31)) == "-2147483648 (not an errno)"
    assert describe_errno(-52).startswith("-52 EBADE")

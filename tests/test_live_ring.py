"""``--ring N``: rotation stays within N MB, the files around failures are kept, every segment decodes alone."""

from __future__ import annotations

import os
from pathlib import Path

import nl80211dec
from nl80211dec.capture.reader import CaptureReader
from nl80211dec.live import live
from nl80211dec.live.packet import seconds
from nl80211dec.live.ring import MB, Ring, segment_path
from nl80211dec.live.writer import PcapngWriter
from nl80211dec.sequence import Attempt

from .test_live_doubles import OK, replay_backend

WRONGPASS = OK.parent.parent / "wpas-sae-wrongpass" / "nlmon.pcap"


def on_disk(tmp: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in sorted(tmp.glob("*.pcapng"))}


def test_rotation_never_holds_more_than_the_limit(tmp_path):
    limit = 256 * 1024
    opened = []

    def open_segment(path: str, number: int, ticks: int, when: float) -> PcapngWriter:
        opened.append(number)
        return PcapngWriter(path, ifname="nlmon0", resolution=9)

    ring = Ring(str(tmp_path / "x.pcapng"), limit, open_segment)
    record = bytes(1000)
    for i in range(2000):  # 2 MB through a 256 KB ring
        ring.write(i, record, len(record), i * 1e-9)
        ring_bytes = sum(size for name, size in on_disk(tmp_path).items() if "-failed" not in name)
        assert ring_bytes <= limit
    assert opened == list(range(1, len(opened) + 1)) and len(opened) >= 30
    assert len(on_disk(tmp_path)) <= 4 + 1
    ring.close()
    # the newest records are all there, in order, ending with the last one written
    times = [r.timestamp for f in ring.files for r in CaptureReader(f)]
    assert times == sorted(times) and times[-1] == seconds(1999, 9) and len(times) >= 3 * 62


def test_failed_segments_leave_the_ring_within_their_own_budget(tmp_path):
    limit = 128 * 1024
    ring = Ring(str(tmp_path / "x.pcapng"), limit, lambda p, n, t, w: PcapngWriter(p, ifname="nlmon0",
                                                                                    resolution=9))
    for i in range(3000):
        ring.write(i, bytes(500), 500, float(i))
        if i % 400 == 399:  # a failed attempt over the last 10 s
            kept = ring.keep(i - 10.0, float(i))
            assert kept and all("-failed" in k for k in kept)
            assert all(os.path.exists(k) for k in kept)
    ring.close()
    names = on_disk(tmp_path)
    failed = {n: s for n, s in names.items() if "-failed" in n}
    assert failed and sum(failed.values()) <= limit
    assert sum(s for n, s in names.items() if n not in failed) <= limit
    assert segment_path("out.pcapng", 3, failed=True) == "out-0003-failed.pcapng"


def test_live_ring_keeps_each_failure_and_every_segment_decodes_alone(tmp_path):
    out = tmp_path / "wifi.pcapng"
    bk, _ = replay_backend(WRONGPASS, families=[("nlctrl", 16), ("nl80211", 0x20)], clock="kernel")
    run = live(write=out, ring_mb=0.25, backend=bk, signals=False)
    attempts = [a for a in run if isinstance(a, Attempt)]
    failed = [a for a in attempts if a.verdict != "ok"]
    assert len(failed) >= 5 and set(run.kept) == {a.number for a in failed}
    names = on_disk(tmp_path)
    assert len(names) >= 3 and any("-failed" in n for n in names)
    assert sum(s for n, s in names.items() if "-failed" not in n) <= 0.25 * MB
    verdicts = set()
    for name in names:
        cap = nl80211dec.open(tmp_path / name)
        verdicts |= {a.verdict for a in cap.attempts()}
        assert not any("assumed" in note for note in cap.summary.notes), name
        assert any(f["name"] == "nl80211" and f["source"] == "nlctrl" for f in cap.summary.families.values())
    assert {a.verdict for a in failed} <= verdicts | {"incomplete", "undecided"}
    assert sorted(run.files) == sorted(str(tmp_path / n) for n in names)

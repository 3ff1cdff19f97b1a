"""Live capture through a socket double: the same output as the file, a pcapng that reads back the same.

The double replays the shipped nlmon captures (link type 253, the bytes
nlmon gave) at their recorded pace, scaled down; everything after the packet
socket is the real code: records, the family map, the Session, the formats,
the writer.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from nl80211dec.capture.reader import CaptureReader
from nl80211dec.cli import main as file_main
from nl80211dec.live import live
from nl80211dec.live.cli import main as live_main
from nl80211dec.netlink.genl import GENL_ID_CTRL
from nl80211dec.sequence import Attempt

from .test_live_doubles import OK, SHIPPED, replay_backend


class Chunks:
    """A stdout that keeps each write apart: the live command writes one message or attempt per write."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    @property
    def text(self) -> str:
        return "".join(self.writes)


def live_run(path: Any, *args: str, **backend: Any) -> tuple[int, Chunks]:
    bk, _links = replay_backend(path, **backend)
    out = Chunks()
    return live_main(list(args), backend=bk, out=out), out


def file_run(capsys: Any, *args: str) -> str:
    capsys.readouterr()
    assert file_main(list(args)) in (0, 1)
    return capsys.readouterr().out


def file_order(out: Chunks, kind_of) -> str:
    """The live output in the file command's order: messages, then attempts (each as it ended), then the summary."""
    *items, summary = out.writes
    kinds = [kind_of(w) for w in items]
    return "".join(w for w, k in zip(items, kinds, strict=True) if k == "message") \
        + "".join(w for w, k in zip(items, kinds, strict=True) if k == "attempt") + summary


def json_kind(line: str) -> str:
    return json.loads(line)["kind"]


def text_kind(chunk: str) -> str:
    return "attempt" if chunk.startswith("\nAttempt ") else "message"


def family_id(path: Any) -> int:
    """The nl80211 id a shipped capture's own nlctrl traffic names."""
    import nl80211dec

    cap = nl80211dec.open(path)
    list(cap.messages())
    return next(int(fid, 16) for fid, f in cap.summary.families.items() if f["name"] == "nl80211")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.parent.name)
def test_attempts_and_verdicts_equal_the_file_path(capsys, path):
    code, sae = live_run(path, "--sae")
    assert code == 0
    assert sae.text == file_run(capsys, "--sae", str(path))


# one of each kind: both supplicants, SoftMAC and external auth, success and each family of failure
JSON_CASES = ["iwd-sae-ok", "wpas-sae-ok", "wpas-sae-anticlog", "wpas-sae-h2e-mismatch", "wpas-sae-pmksa-reconnect",
              "wpas-sae-no-ap", "iwd-fmac-ok", "iwd-fmac-ebade", "wpas-fmac-wrongpass", "wpas-fmac-akm-host-order"]


@pytest.mark.parametrize("name", JSON_CASES)
def test_json_output_equals_the_file_path(capsys, name):
    path = OK.parent.parent / name / "nlmon.pcap"
    code, js = live_run(path, "--json")
    assert code == 0
    assert file_order(js, json_kind) == file_run(capsys, "--json", str(path))


@pytest.mark.parametrize("name", ["iwd-sae-ok", "wpas-sae-wrongpass", "iwd-fmac-ebade", "wpas-fmac-akm-host-order"])
def test_text_output_equals_the_file_path(capsys, name):
    path = OK.parent.parent / name / "nlmon.pcap"
    code, text = live_run(path)
    assert code == 0
    assert file_order(text, text_kind) == file_run(capsys, str(path))


def test_each_verdict_is_printed_when_its_attempt_ends():
    """Attempts come out between messages, right after the one that ended them - not at the end."""
    path = OK.parent.parent / "wpas-sae-wrongpass" / "nlmon.pcap"
    bk, _ = replay_backend(path)
    items = list(live(backend=bk, signals=False))
    last_message = max(i for i, item in enumerate(items) if not isinstance(item, Attempt))
    early = [item for i, item in enumerate(items) if isinstance(item, Attempt) and i < last_message]
    assert len(early) >= 4  # the supplicant's retries closed them one by one
    for a in early:  # each right after the message that ended it
        before = items[items.index(a) - 1]
        assert isinstance(before, Attempt) or before.index >= (a.end_index or 0)


@pytest.mark.parametrize("name", ["iwd-sae-ok", "wpas-fmac-wrongpass", "wpas-sae-pmksa-stale"])
def test_written_pcapng_reads_back_to_the_same_output(capsys, tmp_path, name):
    """With the kernel's clock and the family map at the head, the file decodes to what was printed live."""
    path = OK.parent.parent / name / "nlmon.pcap"
    out = tmp_path / "live.pcapng"
    families = [("nlctrl", GENL_ID_CTRL), ("nl80211", family_id(path))]
    code, js = live_run(path, "--json", "-w", str(out), families=families, clock="kernel")
    assert code == 0
    assert file_order(js, json_kind) == file_run(capsys, "--json", str(out))
    code, sae = live_run(path, "--sae", "-w", str(out), families=families, clock="kernel")
    assert sae.text == file_run(capsys, "--sae", str(out))
    # the records: the family map, then every record of the capture, same netlink bytes
    original = list(CaptureReader(path))
    written = list(CaptureReader(out))
    assert len(written) == len(original) + 2
    assert [r.data[16:] for r in written[2:]] == [r.data[16:] for r in original]
    assert all(w.data[:6] == o.data[:6] and w.data[14:16] == o.data[14:16]
               for w, o in zip(written[2:], original, strict=True))  # type, ARPHRD_NETLINK, protocol
    summary = json.loads(js.writes[-1])
    assert summary["families"][f"{family_id(path):#x}"] == {"name": "nl80211", "source": "nlctrl"}
    assert not any("assumed" in n for n in summary["notes"])


def test_without_the_family_map_the_same_file_would_be_assumed(capsys, tmp_path):
    """What the map is for: a capture that never saw NEWFAMILY (here: the records after it) is only assumed."""
    path = OK.parent.parent / "wpas-fmac-ok" / "nlmon.pcap"
    records = [r for r in CaptureReader(path)]
    from nl80211dec.capture.writer import pcap_bytes

    no_ctrl = [(r.timestamp, r.data) for r in records if int.from_bytes(r.data[14:16], "big") != 16
               or int.from_bytes(r.data[20:22], "little") != GENL_ID_CTRL]
    cut = tmp_path / "no-nlctrl.pcap"
    cut.write_bytes(pcap_bytes(no_ctrl, linktype=253))
    assert "assumed" in file_run(capsys, "--sae", str(cut))
    out = tmp_path / "live.pcapng"
    fams = [("nlctrl", GENL_ID_CTRL), ("nl80211", family_id(path))]
    code, sae = live_run(cut, "--sae", "-w", str(out), families=fams, clock="kernel")
    assert code == 0 and "assumed" not in sae.text and "(nlctrl)" in sae.text
    assert sae.text == file_run(capsys, "--sae", str(out))


def test_capture_file_is_usable_after_every_record(tmp_path):
    """Streaming: each record is in the file as soon as it is decoded (a crash keeps everything before)."""
    out = tmp_path / "live.pcapng"
    bk, _ = replay_backend(OK, families=[("nlctrl", 16), ("nl80211", 0x20)], clock="kernel")
    run = live(write=out, backend=bk, signals=False)
    seen = 0
    for item in run:
        if not isinstance(item, Attempt) and item.record > seen:
            seen = item.record
            if seen % 50 == 0:
                assert sum(1 for _ in CaptureReader(out)) >= seen
    assert sum(1 for _ in CaptureReader(out)) == run.records == 415
    assert run.files == [str(out)]


@pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark is not installed")
def test_tshark_reads_the_written_pcapng_like_the_original(tmp_path):
    path = OK.parent.parent / "wpas-fmac-ok" / "nlmon.pcap"
    out = tmp_path / "live.pcapng"
    code, _ = live_run(path, "--sae", "-w", str(out), families=[("nlctrl", 16), ("nl80211", family_id(path))],
                       clock="kernel")
    assert code == 0

    def fields(f: Any) -> list[str]:
        res = subprocess.run(["tshark", "-r", str(f), "-T", "fields", "-e", "genl.ctrl.cmd", "-e", "nl80211.cmd",
                              "-e", "frame.comment"], capture_output=True, text=True, check=True)
        return res.stdout.splitlines()

    ours, theirs = fields(out), fields(path)
    assert len(ours) == len(theirs) + 2
    assert all("family map" in line for line in ours[:2])
    assert ours[2:] == theirs  # every frame dissected the same: nlctrl and nl80211 commands alike
    assert sum(1 for line in theirs if line.split("\t")[1]) > 100

"""Live capture and the system: the nlmon interface comes and goes, signals end runs cleanly, and a system
that cannot capture gets one line saying what is missing (exit 2), never a traceback."""

from __future__ import annotations

import builtins
import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from nl80211dec.capture.reader import CaptureReader
from nl80211dec.live import live
from nl80211dec.live.cli import main as live_main
from nl80211dec.live.errors import Unavailable
from nl80211dec.live.replay import Replay
from nl80211dec.live.source import PacketSocket
from nl80211dec.live.stop import Stop, on_signals
from nl80211dec.sequence import Attempt

from .test_live_doubles import OK, Links, replay_backend

ROOT = Path(__file__).resolve().parent.parent
EBADE = OK.parent.parent / "iwd-fmac-ebade" / "nlmon.pcap"


def run_cli(capsys: Any, *args: str, **kw: Any) -> tuple[int, str, str, Links]:
    bk, links = replay_backend(kw.pop("path", OK), **kw)
    capsys.readouterr()
    code = live_main(list(args), backend=bk)
    out, err = capsys.readouterr()
    return code, out, err, links


def one_line(err: str) -> str:
    lines = [x for x in err.splitlines() if x.strip()]
    assert "Traceback" not in err
    return lines[-1]


# -- the interface ---------------------------------------------------------------------


def test_interface_is_created_up_and_removed(capsys):
    code, _, err, links = run_cli(capsys, "--sae")
    assert code == 0
    ops = [op for op, _ in links.calls]
    assert ops == ["add", "set", "del"]
    assert links.calls[0][1] == {"ifname": "nlmon0", "kind": "nlmon"}
    assert links.calls[1][1]["state"] == "up" and links.calls[2][1]["index"] == links.calls[1][1]["index"]
    assert set(links.links) == {"lo", "wlan0"}
    assert "created the nlmon interface nlmon0" in err and "removed the nlmon interface nlmon0" in err


def test_an_existing_nlmon_interface_is_used_and_left_in_place(capsys):
    links = Links()
    links.links["nlmon0"] = {"index": 9, "kind": "nlmon", "flags": 0}
    code, _, err, _ = run_cli(capsys, "--sae", links=links)
    assert code == 0
    assert [op for op, _ in links.calls] == ["get", "set"]  # brought up, never deleted
    assert "nlmon0" in links.links and "left in place" in err


def test_a_name_taken_by_another_kind_of_interface_is_refused(capsys):
    code, _, err, links = run_cli(capsys, "--sae", "--nlmon", "wlan0")
    assert code == 2
    assert "wlan0 exists and is not an nlmon interface" in one_line(err)
    assert "wlan0" in links.links and not any(op == "del" for op, _ in links.calls)


# -- what is missing -> exit 2, one line --------------------------------------------------


@pytest.mark.parametrize("code_, words", [(errno.EPERM, "CAP_NET_ADMIN"), (errno.EOPNOTSUPP, "modprobe nlmon"),
                                          (errno.EEXIST, "EEXIST")])
def test_nlmon_cannot_be_created(capsys, code_, words):
    links = Links(add_error=code_)
    code, out, err, _ = run_cli(capsys, "--sae", links=links)
    assert code == 2 and out == ""
    line = one_line(err)
    assert words in line and line.startswith("nl80211dec live: ")
    assert set(links.links) == {"lo", "wlan0"}


def test_packet_socket_without_cap_net_raw(capsys):
    def refuse(*a: Any, **k: Any) -> Any:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    bk, links = replay_backend(OK)
    bk.open_source = lambda name: PacketSocket(name)
    real = socket.socket
    socket.socket = refuse  # type: ignore[misc,assignment]
    try:
        capsys.readouterr()
        code = live_main(["--sae"], backend=bk)
    finally:
        socket.socket = real  # type: ignore[misc]
    err = capsys.readouterr().err
    assert code == 2 and "needs CAP_NET_RAW" in one_line(err) and "setcap" in one_line(err)
    assert set(links.links) == {"lo", "wlan0"}  # created, then removed again


def test_nlctrl_refusing_the_family_dump(capsys):
    code, _, err, links = run_cli(capsys, "--sae", genl_error=errno.EPERM)
    assert code == 2 and "family ids was refused" in one_line(err)
    assert set(links.links) == {"lo", "wlan0"}


def test_pyroute2_missing(capsys, monkeypatch):
    real_import = builtins.__import__

    def no_pyroute2(name: str, *a: Any, **k: Any) -> Any:
        if name.startswith("pyroute2"):
            raise ImportError(name)
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_pyroute2)
    code = live_main(["--sae"])
    err = capsys.readouterr().err
    assert code == 2 and one_line(err) == ("nl80211dec live: live capture needs pyroute2, which is not installed: "
                                           "pip install 'nl80211dec[live]'")


def test_unknown_wireless_interface_and_ring_without_file(capsys):
    code, _, err, _ = run_cli(capsys, "-i", "wlan9")
    assert code == 2 and "no network interface wlan9" in one_line(err)
    code, _, err, _ = run_cli(capsys, "--ring", "10")
    assert code == 2 and "--ring needs -w" in one_line(err)


def test_cannot_write_the_file(capsys, tmp_path):
    code, _, err, links = run_cli(capsys, "-w", str(tmp_path / "missing-dir" / "x.pcapng"))
    assert code == 2 and "cannot write" in one_line(err)
    assert set(links.links) == {"lo", "wlan0"}


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("setpriv") is None,
                    reason="needs root and setpriv to run the command as an unprivileged user")
def test_real_command_as_an_unprivileged_user_exits_2_with_one_line():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    res = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                          sys.executable, "-m", "nl80211dec", "live", "--sae", "--duration", "1"],
                         capture_output=True, text=True, env=env, cwd="/", timeout=60)
    assert res.returncode == 2, res.stderr
    assert res.stdout == "" and len(res.stderr.strip().splitlines()) == 1
    assert "CAP_NET_ADMIN" in res.stderr or "pyroute2" in res.stderr


# -- stopping ----------------------------------------------------------------------------


class SlowStart:
    """A source that waits ``delay`` s (in short polls), then replays a capture fast."""

    def __init__(self, path: Any, delay: float = 30.0) -> None:
        import time

        self.inner = Replay(path, speed=1e9)
        self.start, self.delay, self.time = None, delay, time
        self.resolution, self.closed = self.inner.resolution, False

    @property
    def exhausted(self) -> bool:
        return self.inner.exhausted

    def receive(self, timeout: float) -> list[Any]:
        now = self.time.monotonic()
        self.start = self.start or now
        if now - self.start < self.delay:
            self.time.sleep(min(timeout, 0.05))
            return []
        return self.inner.receive(timeout)

    def now(self) -> int:
        return self.inner.now()

    def dropped(self) -> int:
        return 0

    def close(self) -> None:
        self.closed = True


def test_sigterm_ends_the_run_cleanly(capsys, tmp_path):
    """SIGTERM mid-run: the open attempts get their verdicts, the file is complete, the interface removed."""
    class HalfThenWait(SlowStart):  # deliver the capture at once, then go quiet
        def receive(self, timeout: float) -> list[Any]:
            if not self.inner.exhausted:
                return self.inner.receive(timeout)
            self.time.sleep(min(timeout, 0.05))
            return []

        @property
        def exhausted(self) -> bool:
            return False

    src = HalfThenWait(OK)
    bk, links = replay_backend(OK, source=src, families=[("nl80211", 0x20)])
    before = signal.getsignal(signal.SIGTERM)
    threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM)).start()
    out = tmp_path / "x.pcapng"
    capsys.readouterr()
    code = live_main(["--sae", "-w", str(out)], backend=bk)
    stdout, err = capsys.readouterr()
    assert code == 0
    assert "(SIGTERM)" in err and "removed the nlmon interface" in err
    assert set(links.links) == {"lo", "wlan0"} and src.closed
    assert signal.getsignal(signal.SIGTERM) is before
    assert "Verdict: ok" in stdout and "Summary: 414 records" in stdout
    assert sum(1 for _ in CaptureReader(out)) == 414


def test_keyboard_interrupt_in_a_script_still_cleans_up(tmp_path):
    """With the caller's own Ctrl-C handling (signals=False) a KeyboardInterrupt propagates; nothing is left."""

    class Interrupted(SlowStart):
        def receive(self, timeout: float) -> list[Any]:
            if self.inner.position and timeout > 0:  # Ctrl-C while waiting for more
                raise KeyboardInterrupt
            if self.inner.position:
                return []
            return self.inner.receive(timeout)[:200]  # (the rest is lost: it was "in the ring")

        @property
        def exhausted(self) -> bool:
            return False

    src = Interrupted(OK, delay=0)
    bk, links = replay_backend(OK, source=src)
    out = tmp_path / "x.pcapng"
    run = live(write=out, backend=bk, signals=False)
    with pytest.raises(KeyboardInterrupt):
        for _ in run:
            pass
    assert set(links.links) == {"lo", "wlan0"} and src.closed
    assert sum(1 for _ in CaptureReader(out)) == run.records == 200


def test_keyboard_interrupt_on_the_command_line_exits_130_and_cleans_up(capsys):
    class Interrupted(SlowStart):
        def receive(self, timeout: float) -> list[Any]:
            raise KeyboardInterrupt

    src = Interrupted(OK, delay=0)
    bk, links = replay_backend(OK, source=src)
    code = live_main(["--sae"], backend=bk)
    err = capsys.readouterr().err
    assert code == 130 and "interrupted" in err and "Traceback" not in err
    assert set(links.links) == {"lo", "wlan0"} and src.closed


def test_first_ctrl_c_stops_second_one_interrupts():
    import gc

    stop = Stop()
    before = signal.getsignal(signal.SIGINT)
    gc.disable()  # a Python-level signal handler may otherwise run inside a gc callback (hypothesis has one),
    try:  # where the KeyboardInterrupt it raises is printed and swallowed instead of reaching pytest.raises
        with on_signals(stop):
            os.kill(os.getpid(), signal.SIGINT)
            assert stop.reason == "SIGINT"
            with pytest.raises(KeyboardInterrupt):
                os.kill(os.getpid(), signal.SIGINT)
    finally:
        gc.enable()
    assert signal.getsignal(signal.SIGINT) is before


def test_a_consumer_that_stops_iterating_leaves_nothing_behind():
    bk, links = replay_backend(OK)
    run = live(backend=bk, signals=False)
    for n, _item in enumerate(run):
        if n == 10:
            break
    del _item
    import gc

    gc.collect()
    assert set(links.links) == {"lo", "wlan0"}


def test_duration_and_stop(capsys):
    src = SlowStart(OK, delay=60.0)
    bk, links = replay_backend(OK, source=src)
    capsys.readouterr()
    code = live_main(["--sae", "--duration", "0.3"], backend=bk)
    assert code == 0 and "(duration)" in capsys.readouterr().err
    bk, links = replay_backend(OK, source=SlowStart(OK, delay=60.0))
    run = live(backend=bk, signals=False)
    threading.Timer(0.3, run.stop).start()
    assert list(run) == [] and run.stopped_by == "stop()"


# -- what the run reports -------------------------------------------------------------------


def test_interface_filter_shows_only_that_interface(capsys):
    """-i wlan0 (ifindex 3 in the fake kernel) shows what --ifindex 3 shows for the file."""
    code, out, _, _ = run_cli(capsys, "--json", "-i", "wlan0")
    assert code == 0
    lines = [json.loads(x) for x in out.splitlines()]
    from nl80211dec.cli import main as file_main

    capsys.readouterr()
    file_main(["--json", "--ifindex", "3", str(OK)])
    expected = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x for x in lines if x["kind"] == "message"] == [x for x in expected if x["kind"] == "message"]
    assert all(x["ifindex"] == 3 for x in lines if x["kind"] == "attempt")


def test_kernel_drops_are_reported_and_exit_1(capsys):
    class Dropping(Replay):
        def dropped(self) -> int:
            return 7 if self.exhausted else 0

    bk, _ = replay_backend(OK, source=Dropping(OK, speed=1e6))
    capsys.readouterr()
    code = live_main(["--sae"], backend=bk)
    err = capsys.readouterr().err
    assert code == 1 and "dropped 7 packets" in err and "7 dropped by the kernel" in err


def test_attempts_that_go_silent_are_closed_while_nothing_arrives():
    """The capture goes quiet after its last message: the open attempts come out after CLOSE_AFTER_S of
    silence on the clock, before the run ends - not only at the end."""
    from nl80211dec.live.run import TICK_S
    from nl80211dec.sequence.state import CLOSE_AFTER_S

    class QuietAfter(Replay):
        quiet = 0

        def receive(self, timeout: float) -> list[Any]:
            got = super().receive(timeout)
            if not got and super().exhausted and timeout > 0:  # a wait (not a look between two packets)
                self.quiet += 1
            return got

        @property
        def exhausted(self) -> bool:
            return self.quiet * 10 > CLOSE_AFTER_S + 30

        def now(self) -> int:
            if self.left:
                return super().now()
            return self.packets[-1].ticks + self.quiet * 10 * 10**self.resolution

    src = QuietAfter(EBADE, speed=1e6)
    bk, _ = replay_backend(EBADE, source=src)
    run = live(backend=bk, signals=False)
    ended: list[tuple[int, Attempt]] = []
    for item in run:
        if isinstance(item, Attempt):
            ended.append((src.quiet, item))
    silent = [(q, a) for q, a in ended if a.closed_by == "silence"]
    assert len(silent) == len(ended) == 2  # both closed by the clock, none left for the end of the run
    last = src.packets[-1].timestamp
    from nl80211dec.sequence.sequencer import quiet_limit

    for q, a in silent:
        shown = last + q * 10 - TICK_S  # the clock the sequencer is shown
        limit = quiet_limit(a)  # an attempt that has ended is told sooner than one that just stopped
        assert limit < shown - a.end_time <= limit + 10  # at the first tick past the limit
    by_number = sorted((a.number, a.verdict) for _, a in silent)
    assert by_number == [(a.number, a.verdict) for a in live_verdicts_of_file(EBADE)]


def live_verdicts_of_file(path: Any) -> list[Attempt]:
    import nl80211dec

    return nl80211dec.open(path).attempts()


def test_snapshot_is_in_the_capture_and_beside_it(tmp_path, capsys):
    class Dumped:
        def __init__(self, **attrs: Any) -> None:
            self.attrs = attrs

        def get_attr(self, name: str) -> Any:
            return self.attrs.get(name)

        def dump(self) -> dict[str, Any]:
            return {"attrs": [[k, v] for k, v in self.attrs.items()]}

    class FakeIW:
        closed = False

        def list_wiphy(self):
            return [Dumped(NL80211_ATTR_WIPHY=0, NL80211_ATTR_WIPHY_NAME="phy0", NL80211_ATTR_EXT_FEATURES=b"\x01")]

        def list_dev(self):
            return [Dumped(NL80211_ATTR_IFINDEX=3, NL80211_ATTR_IFNAME="wlan0")]

        def get_stations(self, ifindex):
            return [Dumped(NL80211_ATTR_MAC="02:00:00:00:00:01")]

        def close(self):
            FakeIW.closed = True

    out = tmp_path / "x.pcapng"
    bk, _ = replay_backend(OK, iw=FakeIW)
    capsys.readouterr()
    assert live_main(["--sae", "--snapshot", "-w", str(out)], backend=bk) == 0
    snap = json.loads((tmp_path / "x.snapshot.json").read_text())
    assert snap["kind"] == "snapshot" and FakeIW.closed
    assert snap["wiphys"][0]["attrs"][2] == ["NL80211_ATTR_EXT_FEATURES", "01"]
    assert snap["stations"]["3"][0]["attrs"][0][1] == "02:00:00:00:00:01"
    assert any("x.snapshot.json" in c for c in shb_comments(out))

    def broken():
        raise OSError(errno.ENOENT, "nl80211 not found")

    bk, _ = replay_backend(OK, iw=broken)
    code = live_main(["--sae", "--snapshot"], backend=bk)
    assert code == 0 and "no snapshot of the wireless state" in capsys.readouterr().err


def test_api_reports_what_it_captured(tmp_path):
    bk, _ = replay_backend(OK, families=[("nlctrl", 16), ("nl80211", 0x20)], clock="kernel")
    run = live(write=tmp_path / "x.pcapng", backend=bk, signals=False)
    items = list(run)
    assert run.families == {"nlctrl": 16, "nl80211": 0x20}
    assert run.summary.messages == sum(not isinstance(i, Attempt) for i in items) == 1162
    assert run.summary.attempts == sum(isinstance(i, Attempt) for i in items)
    assert run.records == 415 and run.dropped == 0 and run.stopped_by == "end of the source"
    with pytest.raises(ValueError):
        live(ring_mb=5)


def test_unavailable_is_an_exception_with_the_fix():
    bk, _ = replay_backend(OK, links=Links(add_error=errno.EPERM))
    with pytest.raises(Unavailable, match="CAP_NET_ADMIN"):
        list(live(backend=bk, signals=False))


def shb_comments(path: Any) -> list[str]:
    """The comment options of a pcapng's section header (the reader skips them)."""
    from nl80211dec.capture import schemas as CS

    raw = Path(path).read_bytes()
    body = CS.PcapngBlock.parse(raw).body[CS.PcapngSHBBody.sizeof():]
    out, pos = [], 0
    while pos + 4 <= len(body):
        opt = CS.PcapngOption.parse(body[pos:])
        if opt.code == 0:
            break
        if opt.code == 1:
            out.append(opt.value.decode())
        pos += 4 + len(opt.value) + len(opt.pad)
    return out


def test_file_says_what_it_holds(tmp_path):
    out = tmp_path / "x.pcapng"
    bk, _ = replay_backend(OK, families=[("nlctrl", 16), ("nl80211", 0x20)], clock="kernel")
    list(live(write=out, backend=bk, signals=False))
    comments = shb_comments(out)
    assert "families asked of nlctrl at start: nlctrl=0x10 nl80211=0x20" in comments
    assert any("the first 2 packets are that family map" in c for c in comments)


def test_a_ring_that_cannot_be_written_is_refused_before_capturing(capsys, tmp_path):
    code, _, err, links = run_cli(capsys, "-w", str(tmp_path / "nope" / "x.pcapng"), "--ring", "1")
    assert code == 2 and "cannot write" in one_line(err) and set(links.links) == {"lo", "wlan0"}


def test_disk_full_mid_run_keeps_showing_and_exits_1(capsys, tmp_path, monkeypatch):
    from nl80211dec.live import writer

    real = writer.PcapngWriter.write_block

    def fill_up(self: Any, epb: bytes, timestamp: float) -> None:
        if self.records >= 100:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, epb, timestamp)

    monkeypatch.setattr(writer.PcapngWriter, "write_block", fill_up)
    out = tmp_path / "x.pcapng"
    code, stdout, err, links = run_cli(capsys, "--sae", "-w", str(out))
    assert code == 1 and "cannot write the capture any more (No space left on device)" in err
    assert "Summary: 413 records" in stdout  # the run went on
    assert sum(1 for _ in CaptureReader(out)) == 100 and set(links.links) == {"lo", "wlan0"}


def test_the_ring_is_emptied_while_a_burst_is_decoded():
    """Between two decoded packets the source is read again without waiting, so the kernel's ring never
    waits for the decoder (the lab's first run dropped 7 packets under TCG before this)."""

    class Counting(Replay):
        polls: list[float] = []

        def receive(self, timeout: float) -> list[Any]:
            Counting.polls.append(timeout)
            return super().receive(timeout)

    src = Counting(OK, speed=50.0)
    bk, _ = replay_backend(OK, source=src)
    items = list(live(backend=bk, signals=False))
    assert sum(not isinstance(i, Attempt) for i in items) == 1160
    assert Counting.polls.count(0) >= 300  # about one per packet decoded

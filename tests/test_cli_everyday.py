"""Everyday use of the command line: the one-line timeline, filters, fields, time formats, saved subsets,
exit codes CI can gate on, following a growing file, colour, and one-line errors for silent mistakes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from nl80211dec.capture.reader import CaptureReader
from nl80211dec.capture.writer import pcap_bytes
from nl80211dec.cli import main

from .golden_util import CAPTURES

OK = str(CAPTURES / "iwd-sae-ok" / "nlmon.pcap")
IWMON = str(CAPTURES / "iwd-sae-ok" / "iwmon.pcap")
EXT = CAPTURES / "brcmfmac-external-auth"


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_one_line_per_message_numbers_as_the_ladders_cite_them(capsys):
    _, out, _ = run(capsys, OK)
    lines = out.splitlines()
    numbered = [line for line in lines if line[:6].strip().isdigit()]
    assert len(numbered) == 1160
    cited = [line for line in lines if "#" in line and "SAE commit group 20" in line and "+0.0ms" in line]
    assert cited
    number = cited[0].split("#")[1].split()[0]
    row = next(line for line in numbered if line.split()[0] == number)
    assert "AUTHENTICATE" in row or "FRAME" in row  # the ladder's #n is the timeline's n


def test_hex_adds_every_byte_with_offsets(capsys):
    _, out, _ = run(capsys, "-x", "-Y", "index == 1", OK)
    assert "    0000  " in out and out.splitlines()[0].split()[0] == "1"


@pytest.mark.parametrize("fmt, sample", [("r", "13.856942"), ("e", "."), ("ad", "-"), ("u", ":"), ("d", "0.0")])
def test_time_formats(capsys, fmt, sample):
    code, out, _ = run(capsys, "-t", fmt, "-Y", "cmd == AUTHENTICATE and role == request", OK)
    assert code == 0 and sample in out.splitlines()[0]


def test_delta_displayed_is_relative_to_the_previous_line_shown(capsys):
    _, shown, _ = run(capsys, "-t", "dd", "-Y", "cmd == CONNECT", OK)
    first, second = [line.split()[1] for line in shown.splitlines()[:2]]
    assert first == "0.000000" and float(second) < 0.001


def test_fields_with_header_separator_and_quotes(capsys):
    code, out, _ = run(capsys, "-e", "index", "-e", "cmd", "-e", "sae.group", "-e", "attr.AUTH_TYPE",
                       "-E", "header=y", "-E", "separator=,", "-Y", "cmd == AUTHENTICATE and role == request", OK)
    rows = out.splitlines()
    assert code == 0 and rows[0] == "index,cmd,sae.group,attr.AUTH_TYPE"
    assert rows[1].endswith(",AUTHENTICATE,20,4") and len(rows) == 4  # no attempts, no summary
    _, out, _ = run(capsys, "-T", "fields", "-e", "mac", "-E", "quote=d", "-Y", "cmd == CONNECT", OK)
    assert out.splitlines()[0] == '"02:00:00:00:00:00"'


def test_unknown_field_is_a_one_line_error(capsys):
    code, out, err = run(capsys, "-e", "sae.gruop", OK)
    assert code == 2 and not out and "did you mean sae.group?" in err


def test_filter_errors_point_at_the_column(capsys):
    code, out, err = run(capsys, "-Y", "cmd == FRAM", OK)
    assert code == 2 and not out
    first, expr, caret = err.splitlines()
    assert "column 8" in first and "did you mean FRAME?" in first and caret.index("^") == expr.index("FRAM")


def test_filter_selects_messages_and_the_attempts_they_belong_to(capsys):
    code, out, _ = run(capsys, "-Y", "attempt == 2", OK)
    assert code == 0
    assert "Attempt 2 [ap]" in out and "Attempt 1 [" not in out
    code, out, _ = run(capsys, "--sae", "-Y", "ifindex == 3", OK)
    assert "Attempt 1 [softmac-sae]" in out and "Attempt 2" not in out


def test_write_keeps_the_records_unchanged(capsys, tmp_path):
    for suffix in ("pcap", "pcapng"):
        out = tmp_path / f"all.{suffix}"
        assert run(capsys, "-w", str(out), OK)[0] == 0
        before = [(r.linktype, r.data, r.orig_len, round(r.timestamp, 6)) for r in CaptureReader(OK)]
        after = [(r.linktype, r.data, r.orig_len, round(r.timestamp, 6)) for r in CaptureReader(str(out))]
        assert before == after
        assert CaptureReader(str(out)).format == suffix


def test_write_one_attempt_reads_back_with_its_verdict(capsys, tmp_path):
    out = tmp_path / "attempt1.pcap"
    assert run(capsys, "-Y", "attempt == 1", "-w", str(out), OK)[0] == 0
    code, text, _ = run(capsys, "--sae", str(out))
    assert code == 0 and "[softmac-sae]" in text and ": OK" in text
    if shutil.which("tshark"):
        res = subprocess.run(["tshark", "-r", str(out)], capture_output=True, text=True, timeout=120)
        assert res.returncode == 0 and len(res.stdout.splitlines()) == len(list(CaptureReader(str(out))))


def test_fail_on_gives_exit_3_for_failed_attempts(capsys):
    assert run(capsys, "--sae", "--fail-on", "failure", str(EXT / "ok.pcap"))[0] == 0
    assert run(capsys, "--sae", "--fail-on", "failure", str(EXT / "confirm-mismatch.pcap"))[0] == 3
    assert run(capsys, "--sae", "--fail-on", "failure", str(EXT / "incomplete.pcap"))[0] == 0
    assert run(capsys, "--sae", "--fail-on", "any", str(EXT / "incomplete.pcap"))[0] == 3
    assert run(capsys, "--sae", "--fail-on", "any", "-j", "1", str(EXT / "ok.pcap"),
               str(EXT / "confirm-mismatch.pcap"))[0] == 3
    code, _, err = run(capsys, "--fail-on", "any", "--no-attempts", OK)
    assert code == 2 and "--no-attempts" in err


def test_json_names_the_file_on_every_line_when_several(capsys):
    code, out, _ = run(capsys, "--json", "-j", "1", str(EXT / "ok.pcap"), str(EXT / "incomplete.pcap"))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and {r["kind"] for r in rows} == {"message", "attempt", "summary"}
    assert all(r["file"].endswith(("ok.pcap", "incomplete.pcap")) for r in rows)
    _, out, _ = run(capsys, "--json", str(EXT / "ok.pcap"))
    assert not any("file" in json.loads(line) for line in out.splitlines())


def test_an_answer_whose_echo_the_kernel_cleared_is_named_by_its_request(capsys):
    """SET_REKEY_OFFLOAD's error echoes a request the kernel zeroed: the request it answers names it."""
    path = str(CAPTURES / "iwd-fmac-ok" / "iwmon.pcap")
    _, out, _ = run(capsys, "--json", "--no-attempts", "-Y", "role == error and cmd == SET_REKEY_OFFLOAD", path)
    msg = json.loads(out.splitlines()[0])
    assert msg["cmd_name"] == "SET_REKEY_OFFLOAD" and msg["error"]["echo_type"] and msg["reply_to"]
    _, out, _ = run(capsys, "-Y", "role == error", path)
    assert "UNSPEC" not in out.split("\nAttempt")[0]


def test_silent_mistakes_are_one_line_errors(capsys, tmp_path):
    eth = tmp_path / "eth.pcap"
    eth.write_bytes(pcap_bytes([(1.0, bytes(60))], linktype=1))
    code, out, err = run(capsys, str(eth))
    assert code == 2 and not out and "Ethernet" in err and err.count("\n") == 1
    code, out, err = run(capsys, "--sae", OK, "--air", IWMON)
    assert code == 2 and "not an over-the-air capture" in err and err.count("\n") == 1
    code, out, err = run(capsys, str(CAPTURES / "iwd-sae-ok" / "air.pcap"))
    assert code == 0 and "pass that file with --air" in out  # explained by the summary (tests/test_air.py)


def test_a_family_id_no_message_has_is_an_error(capsys, tmp_path):
    cut = tmp_path / "no-newfamily.pcap"
    assert run(capsys, "-Y", "not family == nlctrl", "-w", str(cut), IWMON)[0] == 0
    code, _, err = run(capsys, "--sae", "--family", "nl80211=0x1c", str(cut))
    assert code == 2 and "0x1c" in err and "0x20" in err
    assert run(capsys, "--sae", "--family", "nl80211=0x20", str(cut))[0] == 0


def test_directories_take_iwmon_text_by_content_never_by_suffix(tmp_path):
    from nl80211dec.cli import _expand

    (tmp_path / "a.pcap").write_bytes(pcap_bytes([(1.0, b"x")]))
    (tmp_path / "iwmon.txt").write_text("Wireless monitor ver 3.3\n< Request: Connect (0x2e) len 1 [ack]  0.1\n")
    (tmp_path / "notes.txt").write_text("nothing to see\n")
    (tmp_path / "hostapd.log").write_text("1733748612.0: wlan0: STA 02:00:00:00:00:00 IEEE 802.11: associated\n")
    (tmp_path / "trace.log.gz").write_bytes(__import__("gzip").compress(pcap_bytes([(1.0, b"x")])))
    names = sorted(os.path.basename(p) for p in _expand([str(tmp_path)]))
    assert names == ["a.pcap", "iwmon.txt", "trace.log.gz"]


def test_colour_only_when_asked_or_on_a_terminal(capsys, monkeypatch):
    _, out, _ = run(capsys, "--color", "always", "-Y", "role == error", OK)
    assert "\x1b[" in out
    _, out, _ = run(capsys, "-Y", "role == error", OK)
    assert "\x1b[" not in out  # captured output is no terminal
    from nl80211dec.render.colour import wanted

    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert wanted("auto", Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wanted("auto", Tty()) and wanted("always", Tty())


def test_list_fields(capsys):
    code, out, _ = run(capsys, "-G")
    assert code == 0 and "sae.group" in out and "attr.NAME" in out


def test_log_files_reach_the_api(capsys):
    log = CAPTURES / "wpas-sae-ok" / "client.log"
    if not log.exists():
        pytest.skip("no client.log shipped")
    code, out, err = run(capsys, "--sae", "--log", str(log), str(CAPTURES / "wpas-sae-ok" / "nlmon.pcap"))
    assert code in (0, 2), err
    assert code == 0 or "not supported yet" in err


@pytest.mark.slow
def test_follow_decodes_a_growing_file_and_stops_on_ctrl_c(tmp_path):
    with open(OK, "rb") as f:
        data = f.read()
    grow = tmp_path / "grow.pcap"
    grow.write_bytes(data[:30000])
    proc = subprocess.Popen([sys.executable, "-m", "nl80211dec", "--follow", "--no-attempts", str(grow)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(2.0)
        with open(grow, "ab") as f:
            f.write(data[30000:])
        time.sleep(2.0)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "Summary: 413 records" in out and "Traceback" not in err


def test_a_missing_log_is_a_one_line_error(capsys):
    code, out, err = run(capsys, "--sae", "--log", "/nonexistent/client.log", OK)
    assert code == 2 and not out and err.count("\n") == 1 and "no such file" in err

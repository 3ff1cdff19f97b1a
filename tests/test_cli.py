"""The command line: output forms, filters, exit status, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nl80211dec.cli import main

from .golden_util import CAPTURES

OK = str(CAPTURES / "iwd-sae-ok" / "nlmon.pcap")


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_and_summary(capsys):
    code, out, err = run(capsys, OK)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) < 1500  # one line per message (1160), then the attempts and the summary
    assert any(" < Request nl80211   AUTHENTICATE " in line and "SAE commit group 20" in line for line in lines)
    assert "Summary: 413 records (413 decoded, 0 malformed, 0 skipped)" in out


def test_verbose_output_is_the_attribute_tree(capsys):
    code, out, err = run(capsys, "-V", OK)
    assert code == 0, err
    assert "< Request: nl80211 AUTHENTICATE (37)" in out and "    AUTH_TYPE (53): SAE (4)" in out
    assert len(out.splitlines()) > 15000


def test_json_lines_are_valid_and_end_with_summary(capsys):
    code, out, _ = run(capsys, "--json", OK)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert lines[-1]["kind"] == "summary" and lines[-1]["records"] == 413
    msgs = [x for x in lines if x["kind"] == "message"]
    assert len(msgs) == lines[-1]["messages"]
    assert {"index", "timestamp", "record", "role", "family", "cmd", "cmd_name", "attrs"} <= set(msgs[0])


def test_filters(capsys):
    _, out, _ = run(capsys, "--json", "--cmd", "authenticate", "--ifindex", "3", OK)
    msgs = [m for m in map(json.loads, out.splitlines()) if m["kind"] == "message"]
    assert msgs and all(m["cmd_name"] == "AUTHENTICATE" for m in msgs)
    assert all(any(a["name"] == "IFINDEX" and a["value"] == 3 for a in m["attrs"]) for m in msgs)


def test_not_a_capture_exits_2(capsys, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    code, out, err = run(capsys, str(bad))
    assert code == 2 and "not a capture" in err and "Traceback" not in err
    code, _, err = run(capsys, str(tmp_path / "missing.pcap"))
    assert code == 2 and "No such file" in err


def test_truncated_file_exits_1_after_decoding_the_rest(capsys, tmp_path):
    data = (CAPTURES / "iwd-sae-ok" / "iwmon.pcap").read_bytes()
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(data[: len(data) // 2 + 7])
    code, out, err = run(capsys, "--json", str(cut))
    summary = json.loads(out.splitlines()[-1])
    assert code == 1 and summary["damage"] and summary["messages"] > 400
    assert "damaged" in err


def test_bad_family_option_exits_2(capsys):
    code, _, err = run(capsys, "--family", "nl80211", OK)
    assert code == 2 and "--family" in err


def test_unknown_command_exits_2_with_a_suggestion(capsys):
    code, out, err = run(capsys, "--cmd", "NOSUCH", OK)
    assert code == 2 and not out and err.count("\n") == 1 and "NOSUCH" in err
    code, out, err = run(capsys, "--cmd", "authenticat", OK)
    assert code == 2 and "did you mean AUTHENTICATE?" in err


def test_negative_jobs_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as e:
        main(["-j", "-3", OK])
    assert e.value.code == 2 and "Traceback" not in capsys.readouterr().err


@pytest.mark.slow
def test_module_entry_point_runs():
    res = subprocess.run([sys.executable, "-m", "nl80211dec", "--version"], capture_output=True, text=True)
    assert res.returncode == 0 and res.stdout.startswith("nl80211dec ")


def test_cli_version_matches_the_package():
    import nl80211dec
    from nl80211dec.cli import VERSION

    assert nl80211dec.__version__ == VERSION


def test_standard_input_and_file_objects():
    data = (CAPTURES / "iwd-sae-ok" / "nlmon.pcap").read_bytes()
    res = subprocess.run([sys.executable, "-m", "nl80211dec", "--json", "-"], input=data, capture_output=True)
    assert res.returncode == 0
    assert json.loads(res.stdout.splitlines()[-1])["records"] == 413
    import io

    import nl80211dec

    f = io.BytesIO(b"junk" + data)
    f.seek(4)
    cap = nl80211dec.open(f)
    first = len(cap.to_list())
    assert first == 1160 and len(cap.to_list()) == first  # a seekable file is streamed again on each pass
    assert [a.verdict for a in cap.attempts()] == ["ok", "ok"]


def test_capture_has_an_empty_summary_before_the_first_pass():
    import nl80211dec

    cap = nl80211dec.open(CAPTURES / "iwd-sae-ok" / "nlmon.pcap")
    assert cap.summary.records == 0 and cap.reader is None
    list(cap)
    assert cap.summary.records == 413

"""The example notebook runs from top to bottom (so it cannot rot); the DataFrames and HTML are sound."""

from __future__ import annotations

import pytest

import nl80211dec
from nl80211dec.testing.scenarios import ExternalAuthScenario

from .golden_util import CAPTURES, ROOT


def test_notebook_executes(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("matplotlib_inline")
    nb = nbformat.read(ROOT / "examples" / "walkthrough.ipynb", as_version=4)
    before = set((ROOT / "examples").iterdir())
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "examples")}}).execute()
    assert set((ROOT / "examples").iterdir()) == before  # shows, saves nothing
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if "data" in o and "text/html" in o["data"]]
    assert any("<svg" in h and "pmksa-instead-of-sae" in h for h in html)
    assert any("SET_PMKSA" in h and "PMKID" in h and "(16 bytes)" in h for h in html)  # the evidence, in hex
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the plot is inline
    text = "".join(o.get("text", "") for o in outputs)
    assert "pmksa-instead-of-sae" in text and "pmkid_offered" in text


def test_the_notebook_is_what_the_generator_writes(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_notebook", ROOT / "tools" / "make_notebook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = nbformat.read(ROOT / "examples" / "walkthrough.ipynb", as_version=4)
    assert [c.source for c in shipped.cells] == [c.source for c in module.CELLS]


def test_html_tree_shows_short_binary_in_hex_and_notes_in_line():
    from nl80211dec.query import select

    cap = nl80211dec.open(CAPTURES / "brcmfmac-external-auth" / "ok.pcap")
    (pmksa,) = select(cap, "cmd == SET_PMKSA and role == request")
    html = pmksa._repr_html_()
    assert pmksa["PMKID"].raw.hex() in html and "16 bytes" in html
    noted = next(m for m in nl80211dec.open(CAPTURES / "brcmfmac-external-auth" / "ok.pcap")
                 if any(a.note for a in m.walk()))
    assert "note: " in noted._repr_html_()


def test_svg_ladder_spaces_rows_by_time_and_marks_long_waits():
    from nl80211dec.render.html import GAP_PX, ROW, row_positions

    cap = nl80211dec.open(CAPTURES / "iwd-sae-ok" / "nlmon.pcap")
    station = next(a for a in cap.attempts() if a.mode == "softmac-sae")
    ys, gaps = row_positions(station.steps)
    steps = ys[1:]
    assert all(b - a >= ROW for a, b in zip(ys, steps, strict=False))  # labels never overlap
    assert gaps and all(ms > 80 for _, ms in gaps)  # the wait for the AP's commit (370 ms) is compressed...
    assert max(b - a for a, b in zip(ys, steps, strict=False)) == ROW + GAP_PX  # ...to a fixed height
    html = station._repr_html_()
    assert "ms later" in html or "s later" in html


def test_svg_ladder_names_the_ap_lanes_and_hides_an_unknown_ssid():
    cap = nl80211dec.open(CAPTURES / "iwd-sae-ok" / "nlmon.pcap")
    ap = next(a for a in cap.attempts() if a.mode == "ap")
    html = ap._repr_html_()
    assert "AP (hostapd)" in html and "station" in html and "None" not in html
    station = next(a for a in cap.attempts() if a.mode == "softmac-sae")
    assert "lab-sae" in station._repr_html_()


def test_svg_labels_stay_right_of_the_time_column():
    from nl80211dec.render.html import LANE_X, TIME_X, attempt_svg

    cap = nl80211dec.open(CAPTURES / "brcmfmac-external-auth" / "pmksa-instead-of-sae.pcap")
    (a,) = cap.attempts()
    import re

    for x, anchor, label in re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)" fill="#[0-9a-f]+"'
                                       r'(?: font-weight="bold")?>([^<]*)</text>', attempt_svg(a)):
        left = float(x) - (len(label) * 6.6 / 2 if anchor == "middle" else 0)
        assert left > TIME_X + 100 and left >= LANE_X["S"] - 1, label


def test_dataframes():
    pytest.importorskip("pandas")
    cap = nl80211dec.open(CAPTURES / "wpas-sae-ok" / "nlmon.pcap")
    df = cap.to_dataframe()
    assert len(df) == 1781 and {"time", "role", "cmd_name", "sae_group"} <= set(df.columns)
    assert (df["sae_group"] == 19).sum() > 0
    adf = cap.attempts_dataframe()
    assert list(adf["verdict"]) == ["ok", "ok"] and "ms total" in adf.columns


def test_html_escapes_hostile_ssids():
    s = ExternalAuthScenario(ssid=b"<script>alert(1)</script>\x1b[31m")
    s.connect()
    s.external_auth_event()
    cap = nl80211dec.open(s.pcap())
    (a,) = cap.attempts()
    html = a._repr_html_() + "".join(m._repr_html_() for m in cap)
    assert "<script>" not in html and "&lt;script&gt;" in html
    from nl80211dec.render.text import message_lines

    text = "\n".join(line for m in cap for line in message_lines(m, 0.0))
    assert "\x1b" not in text and "\\x1b" in text  # terminal escapes are shown, not executed

"""The example notebook runs from top to bottom (so it cannot rot); the DataFrames and HTML are sound."""

from __future__ import annotations

import pytest

import nl80211dec
from nl80211dec.testing.scenarios import ExternalAuthScenario

from .golden_util import CAPTURES, ROOT


def test_notebook_executes():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(ROOT / "examples" / "walkthrough.ipynb", as_version=4)
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "examples")}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    html = [o["data"]["text/html"] for o in outputs if "data" in o and "text/html" in o["data"]]
    assert any("<svg" in h and "pmksa-instead-of-sae" in h for h in html)
    text = "".join(o.get("text", "") for o in outputs)
    assert "pmksa-instead-of-sae" in text and "pmkid_offered" in text


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

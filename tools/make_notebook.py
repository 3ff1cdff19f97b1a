#!/usr/bin/env python3
"""Write examples/walkthrough.ipynb (kept as code so it stays reviewable; tests execute it)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CELLS = [
    new_markdown_cell("# From a capture to a verdict\n\n"
                      "A Raspberry Pi with brcmfmac fails to join `deskSAE` when connman drives iwd, and works with "
                      "iwctl. This notebook decodes the iwmon capture of the failure, shows the attempt as a ladder "
                      "with its verdict, picks messages out with a filter, compares the capture with the working "
                      "one, and plots the timings of a good SoftMAC connection from the lab captures.\n\n"
                      "`pip install 'nl80211dec[notebook]'` brings Jupyter, pandas and matplotlib."),
    new_code_cell("%matplotlib inline\n"
                  "from pathlib import Path\n\n"
                  "import nl80211dec\n"
                  "from nl80211dec.query import select\n\n"
                  "ROOT = Path.cwd().parent if Path.cwd().name == 'examples' else Path.cwd()\n"
                  "CAPS = ROOT / 'captures'\n"
                  "bad = nl80211dec.open(CAPS / 'brcmfmac-external-auth' / 'pmksa-instead-of-sae.pcap')\n"
                  "attempts = bad.attempts()\n"
                  "attempts"),
    new_markdown_cell("Each attempt renders as a ladder (supplicant, kernel/driver, AP), its rows spaced by the time "
                      "between steps (a long wait is shortened and marked); the first divergence is red."),
    new_code_cell("attempts[0]"),
    new_code_cell("print(attempts[0].verdict)\nprint(attempts[0].explanation)"),
    new_markdown_cell("The evidence: the CONNECT request offered a cached PMKID. Filters are the command line's "
                      "`-Y` language; a message renders as a tree (short binary values in hex, notes in line)."),
    new_code_cell("connect, = select(bad, 'cmd == CONNECT and role == request')\nconnect"),
    new_markdown_cell("Every message is there too, with typed attributes - as a DataFrame:"),
    new_code_cell("df = bad.to_dataframe()\n"
                  "df[['index', 'role', 'cmd_name', 'auth_type', 'status_code', 'external_auth_action']]"),
    new_markdown_cell("## What differs from the working capture?"),
    new_code_cell("from nl80211dec.diff import diff_attempts\n\n"
                  "good = nl80211dec.open(CAPS / 'brcmfmac-external-auth' / 'ok.pcap')\n"
                  "for d in diff_attempts(good.attempts(), attempts):\n"
                  "    print(d.text())"),
    new_markdown_cell("In the working capture the supplicant hands the PMKSA to the driver; its PMKID, in hex:"),
    new_code_cell("pmksa, = select(good, 'cmd == SET_PMKSA and role == request')\npmksa"),
    new_markdown_cell("## Timings of a good SoftMAC connection (lab capture, wpa_supplicant + hostapd)"),
    new_code_cell("lab = nl80211dec.open(CAPS / 'wpas-sae-ok' / 'nlmon.pcap')\n"
                  "adf = lab.attempts_dataframe()\n"
                  "station = adf[adf['mode'] == 'softmac-sae']\n"
                  "timings = station.filter(like='ms ').dropna(axis=1).drop(columns=['ms total']).T\n"
                  "timings.columns = ['ms']\n"
                  "ax = timings.plot.barh(legend=False, title='wpas-sae-ok: milliseconds from the first commit')\n"
                  "ax.invert_yaxis()"),
]


def main() -> int:
    nb = new_notebook(cells=CELLS, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}})
    out = Path(__file__).resolve().parent.parent / "examples" / "walkthrough.ipynb"
    nbformat.write(nb, out)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The table of iwmon's printed names is generated from the lab captures and names real numbers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from nl80211dec.nl80211 import enums
from nl80211dec.textlog.iwmon_attrs import element_id
from nl80211dec.textlog.iwmon_names import ATTRS, ELEMENTS, REASONS
from nl80211dec.wire import ieee80211

ROOT = Path(__file__).resolve().parent.parent


def test_generated_table_is_up_to_date() -> None:
    run = subprocess.run([sys.executable, "tools/gen_iwmon_names.py", "--check"], cwd=ROOT, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_every_label_names_an_attribute_of_its_nested_set() -> None:
    for context, labels in ATTRS.items():
        names = enums.ENUMS[context]
        for label, candidates in labels.items():
            assert candidates, label
            for num, _kind in candidates:
                assert num in names, f"{context}/{label}: {num}"


def test_the_attributes_sae_needs_are_named() -> None:
    top = {label: c[0][0] for label, c in ATTRS["nl80211_attrs"].items()}
    by_name = {v: k for k, v in enums.ATTRS.items()}
    for label, name in {"Auth Data": "AUTH_DATA", "Frame": "FRAME", "AKM Suites": "AKM_SUITES",
                        "External Auth Action": "EXTERNAL_AUTH_ACTION", "Status Code": "STATUS_CODE",
                        "Request IE": "REQ_IE", "Response IE": "RESP_IE", "BSSID": "BSSID", "SSID": "SSID",
                        "Cookie": "COOKIE", "ACK": "ACK", "Reason Code": "REASON_CODE"}.items():
        assert top[label] == by_name[name], label


def test_elements_and_reasons_are_real_numbers() -> None:
    for label, (eid, ext) in ELEMENTS.items():
        assert 0 <= eid <= 255 and (ext == -1 or eid == 255), label
    assert ELEMENTS["RSN"] == (48, -1) and ELEMENTS["Vendor specific"] == (221, -1)
    assert element_id("Tag 90") == (90, -1) and element_id("Tag 262") == (255, 6)
    for text, code in REASONS.items():
        assert code in ieee80211.REASON_CODES, text

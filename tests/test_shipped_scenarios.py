"""The shipped external-auth captures are exactly what the scenario builder writes, and decode to what they model."""

from __future__ import annotations

import importlib.util

import pytest

import nl80211dec
from nl80211dec.testing.scenarios import SCENARIOS, build_both

from .golden_util import CAPTURES, ROOT

DIR = CAPTURES / "brcmfmac-external-auth"

# scenario -> why the decoder's verdict is not the one the scenario models (a sequencer matter, not the builder's)
DECODER_DISAGREES: dict[str, str] = {}


def _make_scenarios():
    spec = importlib.util.spec_from_file_location("make_scenarios", ROOT / "tools" / "make_scenarios.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _verdict_case(name: str):
    reason = DECODER_DISAGREES.get(name)
    return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=reason)) if reason else name


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_shipped_capture_matches_the_builder(name):
    netlink, air = build_both(name)
    assert (DIR / f"{name}.pcap").read_bytes() == netlink, "run python tools/make_scenarios.py"
    assert (DIR / f"{name}.air.pcap").read_bytes() == air, "run python tools/make_scenarios.py"


@pytest.mark.parametrize("name", [_verdict_case(n) for n in sorted(SCENARIOS)])
def test_shipped_capture_decodes_to_what_it_models(name):
    path = DIR / f"{name}.pcap"
    assert [a.verdict for a in nl80211dec.open(path).attempts()] == [SCENARIOS[name][1]]
    with_air = nl80211dec.open(path, air=DIR / f"{name}.air.pcap").attempts()
    assert [a.verdict for a in with_air] == [SCENARIOS[name][1]]


def test_readme_is_generated_from_the_scenarios():
    assert (DIR / "README.md").read_text() == _make_scenarios().readme(), "run python tools/make_scenarios.py"


def test_nothing_stale_is_shipped():
    shipped = {p.name for p in DIR.glob("*.pcap")}
    assert shipped == {f"{n}{ext}" for n in SCENARIOS for ext in (".pcap", ".air.pcap")}

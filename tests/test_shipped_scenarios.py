"""The shipped external-auth captures are exactly what the scenario builder writes."""

from __future__ import annotations

import pytest

import nl80211dec
from nl80211dec.testing.scenarios import SCENARIOS, build_both

from .golden_util import CAPTURES

DIR = CAPTURES / "brcmfmac-external-auth"


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_shipped_capture_matches_the_builder(name):
    path = DIR / f"{name}.pcap"
    netlink, air = build_both(name)
    assert path.read_bytes() == netlink, "run python tools/make_scenarios.py"
    assert (DIR / f"{name}.air.pcap").read_bytes() == air, "run python tools/make_scenarios.py"
    assert [a.verdict for a in nl80211dec.open(path).attempts()] == [SCENARIOS[name][1]]
    with_air = nl80211dec.open(path, air=DIR / f"{name}.air.pcap").attempts()
    assert [a.verdict for a in with_air] == [SCENARIOS[name][1]]
    assert name in (DIR / "README.md").read_text()

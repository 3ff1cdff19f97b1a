"""The shipped external-auth captures are exactly what the scenario builder writes."""

from __future__ import annotations

import pytest

import nl80211dec
from nl80211dec.testing.scenarios import SCENARIOS, build

from .golden_util import CAPTURES

DIR = CAPTURES / "brcmfmac-external-auth"


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_shipped_capture_matches_the_builder(name):
    path = DIR / f"{name}.pcap"
    assert path.read_bytes() == build(name), "run python tools/make_scenarios.py"
    assert [a.verdict for a in nl80211dec.open(path).attempts()] == [SCENARIOS[name][1]]
    assert name in (DIR / "README.md").read_text()

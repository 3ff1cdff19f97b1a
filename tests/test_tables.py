"""The generated tables match the kernel header, and the policy names exist."""

from __future__ import annotations

import subprocess
import sys

from nl80211dec.nl80211 import enums, policy
from nl80211dec.wire import ieee80211 as dot11

from .golden_util import ROOT


def test_generated_tables_are_up_to_date():
    res = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_tables.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "nl80211dec/nl80211/enums.py: up-to-date" in res.stdout


def test_every_command_and_attribute_has_a_name():
    assert enums.COMMANDS[127] == "EXTERNAL_AUTH" and enums.COMMANDS[59] == "FRAME"
    assert enums.COMMANDS[60] == "FRAME_TX_STATUS" and enums.COMMANDS[46] == "CONNECT"
    assert max(enums.COMMANDS) == 168 and max(enums.ATTRS) == 371
    assert set(enums.COMMANDS) == set(range(169))
    # aliases are kept apart so each value has one name
    assert enums.ALIASES["nl80211_commands"]["ACTION"] == "FRAME"


def test_policy_names_exist_in_the_generated_enums():
    for enum_name, name in policy.all_policy_names():
        assert enum_name in enums.ENUMS, enum_name
        if name:
            assert name in enums.ENUMS[enum_name].values(), (enum_name, name)


def test_80211_tables_have_the_sae_codes():
    assert dot11.STATUS_CODES[76] == "ANTI_CLOG_REQUIRED"
    assert dot11.STATUS_CODES[77] == "UNSUPPORTED_FINITE_CYCLIC_GROUP"
    assert dot11.STATUS_CODES[126] == "SAE_HASH_TO_ELEMENT"
    assert dot11.EXT_ELEMENT_IDS[93] == "ANTI_CLOGGING_TOKEN"
    assert dot11.AKM_SUITES[0x000FAC08] == "SAE"

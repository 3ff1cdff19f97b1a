"""Every SAE frame in the shipped captures decodes to what tshark says.

tshark's ``wlan.fixed.*`` fields (group, token, scalar, element,
send-confirm, confirm) for each record, from tests/golden; nl80211dec's SAE
bodies from AUTH_DATA and from frames inside FRAME/AUTHENTICATE/TX-status
attributes of the same record must carry the same values.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from nl80211dec.sae.body import sae_in

from .golden_util import SCENARIOS, decoded, load_golden

FIELDS = ["seq", "status", "group", "token", "scalar", "element", "send_confirm", "confirm"]


def _ours_by_record(scenario, name):
    out = defaultdict(list)
    for msg in decoded(scenario, name):
        for attr in msg.walk():
            sae = sae_in(attr.decoded)
            if sae is not None:
                out[msg.record].append(sae)
    return out


def _norm_ours(sae):
    def hx(b):
        return b.hex() if b else ""

    return [str(sae.seq), str(sae.status), "" if sae.group is None or sae.message == "confirm" else str(sae.group),
            hx(sae.token), hx(sae.scalar), hx(sae.element),
            "" if sae.send_confirm is None else str(sae.send_confirm), hx(sae.confirm)]


def _norm_tshark(row):
    _frame, _alg, seq, status, group, token, scalar, element, send_confirm, confirm = (row + [""] * 10)[:10]
    return [str(int(seq, 0)), str(int(status, 0)), group, token, scalar, element, send_confirm, confirm]


@pytest.mark.parametrize("name", ["nlmon.pcap", "iwmon.pcap"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_sae_fields_equal_tshark(scenario, name):
    rows = load_golden(scenario, name.replace(".pcap", ".tshark-sae.json.gz"))["rows"]
    ours = _ours_by_record(scenario, name)
    for row in rows:
        record = int(row[0])
        if ";" in row[1]:
            pytest.fail(f"record {record} holds several SAE frames; extend the comparison")
        want = _norm_tshark(row)
        got = [_norm_ours(s) for s in ours.get(record, [])]
        assert got, f"record {record}: tshark sees an SAE frame, we decoded none"
        # tshark reads a status-76 token as 'anti_clogging_token' and shows no group for confirms
        assert want in got, f"record {record}:\n tshark {dict(zip(FIELDS, want, strict=True))}\n ours   {got}"
    if rows:
        assert sum(len(v) for v in ours.values()) >= len(rows)


def test_every_sae_frame_in_the_captures_is_clean():
    """No real SAE frame trips a sanity check: the checks do not cry wolf."""
    for scenario in SCENARIOS:
        for recs in _ours_by_record(scenario, "nlmon.pcap").values():
            for sae in recs:
                assert not sae.findings and sae.problem is None, (scenario, sae.as_dict())

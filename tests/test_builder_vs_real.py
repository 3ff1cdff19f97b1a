"""The scenario builder, held to the real external-auth runs message by message on the station's interface.

Each entry of :data:`HELD` builds a scenario for the run's client and for the
lab's driver (fmac_sim, with the run's own knobs from ``fmac-params.txt``) and
compares its shapes (:mod:`nl80211dec.testing.shapes`) with the run's: the
commands, roles, attribute names in order, answers (TX status, reply, ACK)
and frames of every station message of the first attempt.  The reference is
``nlmon.pcap`` (complete) with the station's EAPoL taken from ``iwmon.pcap``
(nlmon cannot see the netdev); an ``iwmon`` entry compares ``iwmon.pcap``'s
losses with the builder's model of them instead.  What fmac_sim does unlike
brcmfmac is a setting of :class:`~nl80211dec.testing.flavours.Firmware`, so
no difference is waved through here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pytest

import nl80211dec
from nl80211dec.netlink.message import Message
from nl80211dec.session import Session
from nl80211dec.testing import shapes
from nl80211dec.testing.flavours import AKM_HOST_ORDER, AKM_RSN_ORDER, Firmware
from nl80211dec.testing.scenarios import SCENARIOS, build, describe
from nl80211dec.textlog.iwmon import IwmonTextReader

from .golden_util import CAPTURES

CLIENTS = {"wpas": "wpa_supplicant", "iwd": "iwd"}


@dataclass(frozen=True)
class Held:
    """Scenario ``scenario`` must have the shape of lab run ``run`` (its ``first``-th CONNECT on)."""

    scenario: str
    run: str
    recorder: str = "nlmon"  # "iwmon": the run's iwmon.pcap against the builder's lossy iwmon file
    first: int = 1
    zeroed: tuple[str, ...] | None = None  # for "iwmon": the requests this run's iwmon lost (else the scenario's)

    def __str__(self) -> str:
        return (f"{self.scenario}~{self.run}" + ("/iwmon" if self.recorder == "iwmon" else "")
                + (f"#{self.first}" if self.first != 1 else ""))


HELD = [
    Held("ok", "iwd-fmac-ok"),
    Held("ok-wpa-supplicant", "wpas-fmac-ok"),
    Held("ok", "iwd-fmac-pmksa-reconnect"),
    Held("ok-wpa-supplicant", "wpas-fmac-pmksa-reconnect"),
    Held("pmksa-reconnect", "iwd-fmac-pmksa-reconnect", first=2),
    Held("pmksa-reconnect-wpa-supplicant", "wpas-fmac-pmksa-reconnect", first=2),
    Held("pmksa-ignored-sae-runs", "wpas-fmac-no-host-pmksa", first=2),
    Held("pmksa-instead-of-sae", "iwd-fmac-no-host-pmksa", first=2),
    Held("ok-group20", "wpas-fmac-group20"),
    Held("ok-h2e", "wpas-fmac-h2e"),
    Held("unsupported-group", "iwd-fmac-group20"),
    Held("h2e-mismatch", "iwd-fmac-h2e"),
    Held("ok-wpa-supplicant", "wpas-fmac-noisy"),
    Held("pmksa-reconnect", "wpas-fmac-noisy", first=2),
    Held("confirm-mismatch", "wpas-fmac-wrongpass-then-right"),
    Held("ok-wpa-supplicant", "wpas-fmac-wrongpass-then-right", first=5),
    Held("confirm-mismatch", "wpas-fmac-wrongpass"),
    Held("confirm-mismatch", "wpas-fmac-status16-wrongpass"),
    Held("confirm-mismatch", "iwd-fmac-wrongpass"),
    Held("confirm-mismatch", "iwd-fmac-status16-wrongpass"),
    Held("status-report-rejected", "iwd-fmac-ebade"),
    Held("status-report-rejected", "wpas-fmac-ebade"),
    Held("no-commit-sent", "wpas-fmac-akm-host-order"),
    Held("no-peer-commit", "wpas-fmac-drop-auth-rx"),
    Held("no-peer-commit", "iwd-fmac-drop-auth-rx"),
    Held("no-peer-commit-connect-zeroed", "iwd-fmac-drop-auth-rx", recorder="iwmon"),
    Held("confirm-mismatch", "wpas-fmac-wrongpass", recorder="iwmon", zeroed=("CONNECT",)),
    Held("ok-wpa-supplicant", "wpas-fmac-ok", recorder="iwmon", zeroed=("SET_PMKSA", "NEW_KEY")),
    Held("commit-not-acked", "wpas-fmac-tx-noack"),
    Held("commit-not-acked", "iwd-fmac-tx-noack"),
    Held("firmware-aborted", "iwd-fmac-abort1"),
    Held("firmware-aborted", "wpas-fmac-abort1"),
    Held("firmware-aborted-after-confirm", "iwd-fmac-abort2"),
]

# modelled scenarios whose shape a Raspberry Pi iwmon text log (captures/real-brcmfmac/logs) shows:
# (scenario, log, which CONNECT of the log), built with the scenario's own (brcmfmac) settings
PI_LOGS = [
    ("ok-eapol-before-connect", "2025-01-25_KeithG_iwd_dhcp", 1),
    ("ok-eapol-before-connect", "2024-12-21_KeithG_Pi4_iwd_connect", 1),
    ("pmksa-instead-of-sae", "2025-01-25_KeithG_iwd_apipa", 1),
    ("pmksa-instead-of-sae", "2024-12-21_KeithG_Pi4_no_connect", 2),
    ("four-way-failed", "2024-12-18_KeithG_failed_connect", 1),
    ("status-report-rejected-no-connect-event", "2024-12-09_KeithG_Driver_7.45.286_wpa3_connect", 1),
]

# lab runs no scenario is held to, and why
NOT_HELD = {
    "wpas-fmac-abort2": "the abort races the AP: each attempt differs (late status 0, PMKSA set and deleted); "
                        "the builder models the clean abort of abort_after=1",
}


def _knobs(run: str) -> dict[str, str]:
    lines = (CAPTURES / run / "fmac-params.txt").read_text().splitlines()
    return {k.rsplit("/", 1)[-1]: v for k, v in (line.split(":", 1) for line in lines if ":" in line)}


def _client(run: str) -> str:
    lines = (CAPTURES / run / "result.txt").read_text().splitlines()
    return CLIENTS[dict(line.split("=", 1) for line in lines if "=" in line)["client"]]


def lab_settings(run: str) -> dict:
    """The builder's settings for a lab run: its client, and fmac_sim with the run's knobs."""
    knobs = _knobs(run)
    firmware = Firmware(akm=AKM_RSN_ORDER if knobs["akm_swapped"] == "Y" else AKM_HOST_ORDER, roaming=False,
                        rx_signal=-50, failed_join="16" if knobs["status16"] == "Y" else "real")
    return {"supplicant": _client(run), "firmware": firmware}


@functools.lru_cache(maxsize=16)
def _decoded(path: str) -> list[Message]:
    return nl80211dec.open(CAPTURES / path).to_list()


def _decode(data: bytes) -> list[Message]:
    return nl80211dec.open(data).to_list()


def real_shapes(held: Held) -> list[shapes.Shape]:
    nlmon, iwmon = _decoded(f"{held.run}/nlmon.pcap"), _decoded(f"{held.run}/iwmon.pcap")
    if held.recorder == "iwmon":
        return shapes.shapes(iwmon, twin=nlmon, first=held.first)
    return shapes.shapes(shapes.merge_eapol(nlmon, iwmon), first=held.first)


def built_shapes(held: Held) -> list[shapes.Shape]:
    settings = lab_settings(held.run)
    lossless = _decode(build(held.scenario, **settings, zeroed=()))
    if held.recorder == "iwmon":
        lossy = {} if held.zeroed is None else {"zeroed": held.zeroed}
        return shapes.shapes(_decode(build(held.scenario, **settings, **lossy)), twin=lossless)
    return shapes.shapes(lossless)


def _pi_log(name: str) -> list[Message]:
    session = Session(attempts=False)
    reader = IwmonTextReader(CAPTURES / "real-brcmfmac" / "logs" / f"{name}.iwmon.txt.gz")
    return [m for m in session.run(reader) if isinstance(m, Message)]


@pytest.mark.parametrize("held", HELD, ids=str)
def test_builder_has_the_shape_of_the_real_run(held):
    real = real_shapes(held)
    assert real, f"{held.run}: no station attempt found"
    diffs = shapes.differences(real, built_shapes(held), ref_name=held.run, built_name=held.scenario)
    assert not diffs, "\n" + "\n".join(diffs)


@pytest.mark.parametrize(("name", "log", "first"), PI_LOGS, ids=[f"{n}~{log[:10]}" for n, log, _ in PI_LOGS])
def test_modelled_scenario_has_the_shape_of_the_pi_log(name, log, first):
    real = shapes.shapes(_pi_log(log), first=first)
    assert real, f"{log}: no station attempt found"
    diffs = shapes.differences(real, shapes.shapes(_decode(build(name, zeroed=()))), ref_name=log, built_name=name)
    assert not diffs, "\n" + "\n".join(diffs)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_scenario_says_what_holds_it(name):
    doc = describe(name)
    runs = [h.run for h in HELD if h.scenario == name]
    if runs:
        missing = [r for r in runs if f"captures/{r}" not in doc]
        assert not missing and "held to" in doc.lower(), f"{name}: docstring should name {missing}"
    else:
        assert "modelled, not recorded" in doc.lower(), f"{name}: say 'Modelled, not recorded' and from what"
    for log in {log for n, log, _ in PI_LOGS if n == name}:
        day, _sender, *what = log.split("_")
        assert day in doc and "_".join(what).split(".")[0] in doc, f"{name}: name the Pi log {log}"
    assert doc.split()[0].strip(":,") in ("iwd", "wpa_supplicant"), f"{name}: start with the supplicant"


@pytest.mark.parametrize("run", sorted(p.name for p in CAPTURES.glob("*-fmac-*") if (p / "nlmon.pcap").exists()))
def test_every_lab_run_is_held_or_says_why_not(run):
    if run not in NOT_HELD and run not in {h.run for h in HELD}:
        pytest.skip(f"{run}: a new lab run, not yet compared with the builder")


def test_shapes_see_what_the_old_builder_got_wrong():
    """The comparison is not blind: a wpa_supplicant run against an iwd-flavoured build differs where they do."""
    held = Held("ok", "wpas-fmac-ok")
    built = shapes.shapes(_decode(build("ok", **{**lab_settings(held.run), "supplicant": "iwd"}, zeroed=())))
    diffs = "\n".join(shapes.differences(real_shapes(held), built))
    assert "DONT_WAIT_FOR_ACK" in diffs and "reply[COOKIE]" in diffs and "WPA_VERSIONS=2" in diffs

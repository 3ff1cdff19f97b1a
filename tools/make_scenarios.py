#!/usr/bin/env python3
"""Write the brcmfmac external-auth scenario captures and their README to captures/brcmfmac-external-auth/.

They are built by nl80211dec.testing.scenarios (iwmon format, link type 113); the README's table comes
from the scenarios' docstrings.  tests/test_shipped_scenarios.py checks that the files still equal the
builder's output; tests/test_builder_vs_real.py holds the builder to the real lab runs.
"""

from __future__ import annotations

from pathlib import Path

from nl80211dec.testing.scenarios import SCENARIOS, SETTINGS, build_both, describe

DEST = Path(__file__).resolve().parent.parent / "captures" / "brcmfmac-external-auth"

INTRO = """\
# brcmfmac external-auth scenarios (built, held to real runs)

FullMAC chips such as Broadcom/Cypress `brcmfmac` (Raspberry Pi 3/4/5) hand SAE to user space through
*external auth*.  These captures rebuild that path as `iwmon -w` records it on a Pi, with the SSID and
BSSIDs of the mailing-list thread the project started from (`deskSAE`, `d8:3a:dd:60:a3:0c`, station
`d8:3a:dd:d2:ae:3c`) and valid P-256 commit elements.  They are written by `python tools/make_scenarios.py`
from `nl80211dec/testing/scenarios.py`; this README is generated from the scenarios' docstrings.

**Recorded or modelled.**  A scenario *held to* a lab run (`../*-fmac-*/`: unmodified wpa_supplicant 2.10 or
iwd 3.8 on the emulated brcmfmac-style driver) is compared with it message by message on the station's
interface by `tests/test_builder_vs_real.py`: the same commands, roles, attribute names in order, TX
status / reply / ACK pattern, frame subtypes and SAE transactions and statuses (addresses, times, cookies
and scalars differ).  For that comparison the builder is given the lab driver's ways (its AKM byte order,
a signal on received frames, no firmware roaming, the real failure status); the files here use brcmfmac's
as the Raspberry Pi logs show them.  A scenario **modelled, not recorded** covers what the lab cannot make;
its source is named: a Raspberry Pi log in `../real-brcmfmac/` or the brcmfmac source.

What every file follows (see the module docstring): the supplicant's own CONNECT attributes and RSNE
(iwd: WPA3, 20-byte RSNE; wpa_supplicant: WPA2, 26-byte RSNE with BIP-CMAC), cookie 0 and FRAME_TX_STATUS
before the ACK on every auth frame (iwd also gets the cookie reply, wpa_supplicant sends DONT_WAIT_FOR_ACK),
ACKs that echo only the request header (an error echoes the whole request to iwd), the AKM in RSN selector
order (bytes `00 0f ac 08`) in the EXTERNAL_AUTH event, A3 = 00:00:00:00:00:00 and no signal on received
frames, status 16 in a failed CONNECT event (or none at all, as on the Pi), EAPoL over the PAE socket and
NEW_KEY requests zeroed as iwmon often records them.

Each `NAME.pcap` has a `NAME.air.pcap` beside it: the same moment seen by a monitor-mode radio (radiotap,
link type 127, its clock 137 ms ahead), with the station's frames, their ACKs or retries, and the AP's
answers.  In `no-peer-commit` the AP answers on the air but the firmware never hands its commit up; `--air`
tells that apart from an AP that never answered.

| file | supplicant | verdict it models | what it is, and what holds it |
|---|---|---|---|
"""

OUTRO = """
Try:

```sh
python -m nl80211dec --sae captures/brcmfmac-external-auth/pmksa-instead-of-sae.pcap
python -m nl80211dec --sae captures/brcmfmac-external-auth/no-peer-commit.pcap \\
    --air captures/brcmfmac-external-auth/no-peer-commit.air.pcap
```
"""


def readme() -> str:
    """The README: the intro, then one row per scenario from its docstring."""
    rows = []
    for name in sorted(SCENARIOS):
        supplicant = SETTINGS[name].get("supplicant", "iwd")
        text = describe(name).replace("|", "\\|")
        rows.append(f"| `{name}.pcap` | {supplicant} | `{SCENARIOS[name][1]}` | {text} |")
    return INTRO + "\n".join(rows) + "\n" + OUTRO


def main() -> int:
    DEST.mkdir(parents=True, exist_ok=True)
    wanted = {f"{name}{ext}" for name in SCENARIOS for ext in (".pcap", ".air.pcap")}
    for stale in DEST.glob("*.pcap"):
        if stale.name not in wanted:
            stale.unlink()
            print(f"removed {stale.name}")
    for name in sorted(SCENARIOS):
        netlink, air = build_both(name)
        (DEST / f"{name}.pcap").write_bytes(netlink)
        (DEST / f"{name}.air.pcap").write_bytes(air)
        print(f"{name}.pcap {name}.air.pcap")
    (DEST / "README.md").write_text(readme())
    print("README.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Inside frames and element lists, nl80211dec agrees with what iwmon decodes.

iwmon decodes the 802.11 header and the Authentication fixed fields of
ATTR_FRAME, and the RSN and Extended Capabilities elements of IE attributes;
the golden files keep those nested lines (tools/make_golden.py).  iwmon does
not decode SAE bodies at all (they are checked against tshark instead).
"""

from __future__ import annotations

import re

import pytest

from .golden_util import SCENARIOS, load_golden
from .test_golden_iwmon import _ours

ADDR_RE = re.compile(r"Address (\d)(?: \((?:RA|TA)\))?: ([0-9a-fA-F:]{17})")
ALG_RE = re.compile(r"Algorithm: (\w+) \(seq: (\d+), status: (\d+)\)")
SUITE_RE = re.compile(r"\(([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2})\) suite\s+([0-9a-f]{2})")
IE_ATTRS = {"Information Elements", "Request IE", "Response IE", "IE Probe Response", "IE Assoc Response"}


def _pairs(scenario):
    golden = load_golden(scenario, "iwmon.json.gz")["messages"]
    for msg, ref in zip(_ours(scenario), golden, strict=True):
        if msg.family == "nl80211" and msg.nl_type >= 16 and len(ref["attrs"]) == len(msg.attrs):
            yield from zip(msg.attrs, ref["attrs"], strict=True)


def _field(lines, label):
    for line in lines:
        m = re.match(rf"\s*{label}: (\d+)$", line)
        if m:
            return int(m.group(1))
    return None


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_frame_headers_agree_with_iwmon(scenario):
    checked = 0
    for attr, ref in _pairs(scenario):
        if ref[0] != "Frame" or not hasattr(attr.decoded, "addrs"):
            continue
        frame, lines = attr.decoded, ref[2:]
        addrs = {int(n): mac.lower() for line in lines for n, mac in ADDR_RE.findall(line)}
        if not addrs:
            continue  # iwmon decodes management frames only
        assert [m for _r, m in frame.addrs[: len(addrs)]] == [addrs[i] for i in sorted(addrs)], ref
        assert frame.duration == _field(lines, "Duration")
        assert frame.seq == _field(lines, "Sequence Number")
        assert frame.frag == _field(lines, "Fragment Number")
        alg = next((ALG_RE.search(x) for x in lines if ALG_RE.search(x)), None)
        if alg:
            assert frame.fields["algorithm"].startswith(alg.group(1).upper())
            assert frame.fields["transaction"] == int(alg.group(2))
            assert frame.fields["status"].endswith(f"({alg.group(3)})")
        reason = _field(lines, "Reason code")
        if reason is not None and "protected" in frame.flags:
            # iwmon reads a reason code out of the encrypted body of a protected
            # deauth (802.11w); we say the body is encrypted instead
            assert "protected_body" in frame.fields
        elif reason is not None:
            assert frame.fields["reason"].endswith(f"({reason})")
        checked += 1
    assert checked > 0


def _suite_numbers(lines):
    return [int("".join(m), 16) for line in lines for m in SUITE_RE.findall(line)]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_rsn_and_extended_capabilities_agree_with_iwmon(scenario):
    checked = 0
    for attr, ref in _pairs(scenario):
        if ref[0] not in IE_ATTRS or attr.decoded is None:
            continue
        lines = ref[2:]
        rsn = attr.decoded.find("RSN")
        if rsn is not None and any(x.strip() == "RSN:" for x in lines):
            start = next(i for i, x in enumerate(lines) if x.strip() == "RSN:")
            block = []
            for x in lines[start + 1:]:
                if len(x) - len(x.lstrip()) <= len(lines[start]) - len(lines[start].lstrip()):
                    break
                block.append(x)
            theirs = _suite_numbers(block)
            f = rsn.fields
            ours = [f["group_cipher"]] + f.get("pairwise_ciphers", []) + f.get("akms", [])
            if "group_mgmt_cipher" in f:
                ours.append(f["group_mgmt_cipher"])
            ours_n = []
            for text in ours:
                m = re.match(r"(\w\w)-(\w\w)-(\w\w):(\d+)", text)
                ours_n.append(int("".join(m.groups()[:3]), 16) << 8 | int(m.group(4)))
            assert ours_n == theirs, (scenario, ref[0], block)
            assert ("MFPR" in f.get("capability_bits", [])) == any("bit  6" in x for x in block)
            checked += 1
        ext = attr.decoded.find("EXT_CAPABILITY")
        bits = [int(b) for x in lines for b in re.findall(r"Capability: bit\s+(\d+):", x)]
        if ext is not None and bits:
            # iwmon prints only the bits its table names (up to bit 71)
            assert [b for b in ext.fields["bit_numbers"] if b <= 71] == bits
            checked += 1
    assert checked > 0


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_suite_list_attributes_agree_with_iwmon(scenario):
    for attr, ref in _pairs(scenario):
        if ref[0] in ("Cipher Suites Pairwise", "AKM Suites", "Cipher Suites"):
            assert attr.value == _suite_numbers(ref[2:]), ref

"""docs/json.md is the schema of --json: held against what the code writes on the shipped captures.

Every key an object carries is named in its table; every key marked "always"
is on every object of its kind; every attribute type the policy can produce
is listed.  A new key is documented or this fails.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections import defaultdict

import pytest

from nl80211dec.cli import main
from nl80211dec.netlink import genl, rtnl
from nl80211dec.nl80211.policy import SPECS

from .golden_util import CAPTURES, ROOT

DOC = (ROOT / "docs" / "json.md").read_text()
SECTIONS = {"message": '## `"kind": "message"`', "attr": "### Attribute objects", "types": "### Attribute types",
            "attempt": '## `"kind": "attempt"`', "summary": '## `"kind": "summary"`'}
EXT = CAPTURES / "brcmfmac-external-auth"
INPUTS = [
    ["--json", str(CAPTURES / "iwd-sae-ok" / "nlmon.pcap")],
    ["--json", str(CAPTURES / "iwd-fmac-ok" / "iwmon.pcap")],
    ["--json", str(EXT / "no-peer-commit.pcap"), "--air", str(EXT / "no-peer-commit.air.pcap")],
    ["--json", "-j", "1", str(EXT / "ok.pcap"), str(EXT / "status-report-rejected.pcap")],
    ["--json", str(CAPTURES / "iwd-sae-ok" / "iwmon.txt.gz")],
]


def table(section: str) -> dict[str, bool]:
    """key -> always present, from the section's table (first column: the keys, second: when present)."""
    start = DOC.index(SECTIONS[section])
    end = DOC.find("\n#", start + 1)
    rows = {}
    for line in DOC[start:end if end > 0 else None].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("| `") or len(cells) < 2:
            continue
        for key in re.findall(r"`([^`]+)`", cells[0]):
            rows[key] = cells[1] == "always"
    return rows


def decoded_objects() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for args in INPUTS:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            main(args)
        for line in buf.getvalue().splitlines():
            obj = json.loads(line)
            out[obj["kind"]].append(obj)
            if obj["kind"] == "message":
                stack = list(obj["attrs"])
                while stack:
                    a = stack.pop()
                    out["attr"].append(a)
                    stack.extend(a.get("children", ()))
    return out


@pytest.fixture(scope="module")
def objects():
    return decoded_objects()


@pytest.mark.parametrize("kind", ["message", "attr", "attempt", "summary"])
def test_every_key_is_documented_and_the_always_keys_are_always_there(objects, kind):
    documented = table(kind)
    assert objects[kind], f"no {kind} objects decoded"
    seen = {k for obj in objects[kind] for k in obj}
    assert not seen - set(documented), f"{kind}: keys written but not in docs/json.md: {sorted(seen - set(documented))}"
    for key, always in documented.items():
        if always:
            missing = sum(1 for obj in objects[kind] if key not in obj)
            assert not missing, f"{kind}: {key!r} is documented as always present, missing on {missing} objects"


def test_file_is_on_every_line_when_several_inputs(objects):
    several = [o for kind in ("message", "attempt", "summary") for o in objects[kind] if "file" in o]
    assert several and all(o["file"].endswith(".pcap") for o in several)


def test_every_attribute_type_is_documented(objects):
    documented = set(table("types"))
    policy = {s.kind for t in SPECS.values() for s in t.values()}
    netlink = set(rtnl._KIND.values()) | {kind for _n, kind in genl.CTRL_ATTRS.values()} \
        | {kind for _n, kind in genl.CTRL_MCAST_ATTRS.values()}
    seen = {a["type"] for a in objects["attr"]}
    missing = (policy | netlink | seen) - documented
    assert not missing, f"attribute types not in docs/json.md: {sorted(missing)}"


def test_cross_references_name_the_right_user_guide_sections():
    guide = (ROOT / "docs" / "user-guide.md").read_text()
    headings = dict(re.findall(r"^## (\d+)\. (.+)$", guide, re.MULTILINE))
    for number, title in re.findall(r'user-guide\.md §(\d+) "([^"]+)"', DOC):
        assert headings.get(number, "").startswith(title), f"§{number} is {headings.get(number)!r}, not {title!r}"

"""The package ships ``py.typed``: mypy must accept it, and the public API must pass ``--strict``.

Runs mypy in-process (its ``api.run``) when it is installed (the ``test`` extra has it);
skipped otherwise, so a bare ``pip install .`` can still run the rest of the suite.
"""

from __future__ import annotations

import pytest

mypy_api = pytest.importorskip("mypy.api")

from .golden_util import ROOT  # noqa: E402

PUBLIC = ["nl80211dec/__init__.py", "nl80211dec/api.py", "nl80211dec/session.py", "nl80211dec/errors.py"]


def _mypy(*args: str) -> tuple[str, int]:
    out, err, status = mypy_api.run(["--config-file", str(ROOT / "pyproject.toml"), "--no-incremental",
                                     "--cache-dir", "/dev/null", *args])
    return out + err, status


def test_the_package_is_mypy_clean():
    report, status = _mypy(str(ROOT / "nl80211dec"))
    assert status == 0, report


def test_the_public_api_is_strict_clean():
    report, _ = _mypy("--strict", *(str(ROOT / p) for p in PUBLIC))
    # --strict follows imports into the whole package; the public modules themselves must have no error
    own = [line for line in report.splitlines() if any(line.startswith(f"{ROOT / p}:") for p in PUBLIC)]
    assert not own, "\n".join(own)

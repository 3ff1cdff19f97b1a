"""The build backend: setuptools', plus mypy as a build requirement when the compiled core is asked for.

``NL80211DEC_MYPYC=1 pip install .`` then works in pip's isolated build
environment (mypyc comes with mypy); a plain ``pip install .`` needs nothing
beyond setuptools and builds the pure-Python package, the reference.
"""

from __future__ import annotations

import os

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403 - the standard hooks, unchanged

MYPYC_REQUIRES = ["mypy>=1.8"]


def _extra() -> list[str]:
    return MYPYC_REQUIRES if os.environ.get("NL80211DEC_MYPYC") == "1" else []


def _asking(hook, config_settings):  # noqa: ANN001, ANN202
    """setuptools runs setup.py to list requirements; mypy is not there yet, so setup.py must not compile."""
    os.environ["NL80211DEC_LISTING_REQUIRES"] = "1"
    try:
        return hook(config_settings) + _extra()
    finally:
        del os.environ["NL80211DEC_LISTING_REQUIRES"]


def get_requires_for_build_wheel(config_settings=None):  # noqa: ANN001, ANN201 - PEP 517 signature
    return _asking(_setuptools.get_requires_for_build_wheel, config_settings)


def get_requires_for_build_editable(config_settings=None):  # noqa: ANN001, ANN201
    return _asking(_setuptools.get_requires_for_build_editable, config_settings)

"""Build hook for the optional compiled core (issue 20).

The pure-Python package is the default and the reference: ``pip install .`` builds it everywhere.
``NL80211DEC_MYPYC=1 pip install .`` compiles the hot modules with mypyc (as black and mypy ship),
using the same sources; ``NL80211DEC_PURE=1`` at run time makes the package import the pure modules
even when compiled ones are installed (nl80211dec/__init__.py).
"""

from __future__ import annotations

import os

from setuptools import setup

HOT_MODULES = [
    "nl80211dec/netlink/core.py",
    "nl80211dec/netlink/message.py",
    "nl80211dec/netlink/values.py",
    "nl80211dec/netlink/genl.py",
    "nl80211dec/netlink/rtnl.py",
    "nl80211dec/netlink/roles.py",
    "nl80211dec/netlink/ack.py",
    "nl80211dec/nl80211/decode.py",
    "nl80211dec/pipeline/decoder.py",
    "nl80211dec/pipeline/families.py",
    "nl80211dec/pipeline/summary.py",
    "nl80211dec/render/text.py",
    "nl80211dec/render/jsonl.py",
    "nl80211dec/capture/reader.py",
]

ext_modules = []
# (not while the build backend only lists what the build needs: mypy is installed after that)
if os.environ.get("NL80211DEC_MYPYC") == "1" and os.environ.get("NL80211DEC_LISTING_REQUIRES") != "1":
    from mypyc.build import mypycify

    ext_modules = mypycify(HOT_MODULES, opt_level="3")

setup(ext_modules=ext_modules)

"""The shared vocabulary every layer may use: 802.11 names, suite selectors, text.

Nothing here reads a capture (layout.py only derives struct formats from schemas); it imports nothing of the package
but :mod:`nl80211dec.errors`.  Generated tables (``ieee80211.py``) come from
``tools/gen_tables.py``.
"""

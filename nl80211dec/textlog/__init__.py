"""Text evidence: the logs people post instead of captures.

``iwmon`` reads iwmon's text decode back into the capture records it was
printed from, so the decoder runs on them unchanged and ``fidelity`` says
what the text lost; ``journal`` and ``patterns`` read daemon and kernel log
lines (see docs/text-inputs.md).
"""

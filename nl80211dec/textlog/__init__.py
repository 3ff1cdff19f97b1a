"""Text evidence: logs people post instead of captures (iwmon's text decode, and later journals).

Each reader rebuilds what the text says as capture records, so the decoder
runs on them unchanged and says what a text input lost compared with a pcap.
"""

"""Records in, decoded messages out: the decoding layers composed, no I/O.

``decoder.Decoder`` runs capture records through link, netlink and nl80211
(and the hook of the layers above); ``families`` decides which
generic-netlink id is which family; ``memo`` shares the decode of repeated
payloads; ``summary`` accounts for every record.
"""

from .decoder import Decoder
from .summary import Summary

__all__ = ["Decoder", "Summary"]

"""Build captures for tests, examples and bug reports, from the Construct schemas."""

from .writers import genl_message, nlattr, nlattrs, pcap_bytes, pcapng_bytes, sll_record

__all__ = ["genl_message", "nlattr", "nlattrs", "pcap_bytes", "pcapng_bytes", "sll_record"]

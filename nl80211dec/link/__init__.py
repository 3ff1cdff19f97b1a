"""Link-layer headers that carry netlink in captures (cooked SLL, NETLINK, SLL2)."""

from .cooked import LinkFrame, parse_link

__all__ = ["LinkFrame", "parse_link"]

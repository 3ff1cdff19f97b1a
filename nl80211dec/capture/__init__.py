"""Capture files: pcap and pcapng, plain or gzip-compressed."""

from .reader import CaptureReader, Record

__all__ = ["CaptureReader", "Record"]

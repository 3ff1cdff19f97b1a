"""nl80211dec: decode Linux nl80211 captures and explain WPA3-SAE failures."""

from .api import Capture, open
from .errors import DecodeError, NotACaptureError, TruncatedError

__version__ = "0.1.0"
__all__ = ["Capture", "DecodeError", "NotACaptureError", "TruncatedError", "open", "__version__"]

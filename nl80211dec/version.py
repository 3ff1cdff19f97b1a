"""The release, in one place every layer may read (the package's __init__ and the CLI re-export it)."""

__version__ = "0.1.0"

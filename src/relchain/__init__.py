"""relchain: a self-hosted, wire-compatible server for Tencent Cloud Chat's relationship chain."""

__all__ = ["__version__"]

__version__ = "0.1.0"

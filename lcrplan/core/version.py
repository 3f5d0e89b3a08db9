"""lcrplan's version: the one place it is written (the package, its metadata and the release
workflow's tag check read it here)."""

__version__ = "0.1.0"

"""lcrplan: a command-line KPI tracker over plain YAML files for the Liverpool City Region plans."""

from .core.version import __version__

__all__ = ["__version__"]

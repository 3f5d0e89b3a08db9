"""lcrplan: a command-line KPI tracker over plain YAML files for the Liverpool City Region plans."""

__version__ = "0.1.0"

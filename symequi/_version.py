"""The version of symequi (one place; the package and the LaTeX report read it)."""

__version__ = "0.2.0"

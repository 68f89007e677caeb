"""Reproducible special report of a social enterprise, from validated data to HTML and PDF."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("impactreport")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

"""Bib Station: runner check-in and bib pickup at a marathon expo."""

__version__ = "0.1.0"

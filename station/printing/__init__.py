"""The bib: its face (what goes on it), its layout drawn with QPainter, and the printer worker."""

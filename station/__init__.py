"""Bib Station: runner check-in and bib pickup at a marathon expo."""

import os

# NumPy's BLAS on one thread: the station's matrix products are small (the
# MRZ glyph network), and a second BLAS thread spinning on a busy two-core
# counter laptop costs more than it saves. Set before NumPy is first imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"

"""Camera sources, QR decoding and MRZ reading."""

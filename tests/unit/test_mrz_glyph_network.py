"""The glyph network's NumPy arithmetic against a plain convolution written out.

scripts/train_mrz_cnn.py stores kernels in the order the reader lays out its
patches (ky, kx, channel) and dense weights flattened channel first; a slip
in either would still give probabilities, only wrong ones.
"""

from __future__ import annotations

import numpy as np

from station.scan.mrz_glyphs import CELL_H, CELL_W, GlyphModel, model_path


def _reference_logits(m: GlyphModel, x: np.ndarray) -> np.ndarray:
    def conv_relu_pool(a: np.ndarray, k: np.ndarray, b: np.ndarray) -> np.ndarray:
        n, h, w, c = a.shape
        kern = k.reshape(3, 3, c, -1)
        padded = np.pad(a, ((0, 0), (1, 1), (1, 1), (0, 0)))
        out = np.zeros((n, h, w, kern.shape[3]), np.float64)
        for dy in range(3):
            for dx in range(3):
                out += np.einsum("nhwc,co->nhwo", padded[:, dy:dy + h, dx:dx + w], kern[dy, dx])
        out = np.maximum(out + b, 0.0)
        return out.reshape(n, h // 2, 2, w // 2, 2, -1).max(axis=(2, 4))

    h = conv_relu_pool(x[..., None].astype(np.float64), m.k1, m.c1)
    h = conv_relu_pool(h, m.k2, m.c2)
    flat = h.transpose(0, 3, 1, 2).reshape(len(x), -1)  # channel first, as torch flattens
    hidden = np.maximum(flat @ m.w1 + m.b1, 0.0)
    return hidden @ m.w2 + m.b2


def test_shipped_network_computes_what_its_layers_say():
    model = GlyphModel.load(model_path())
    assert model.k1 is not None, "the shipped glyph model is the convolutional one"
    cells = np.random.default_rng(3).normal(size=(5, CELL_H, CELL_W)).astype(np.float32)
    np.testing.assert_allclose(model.logits(cells), _reference_logits(model, cells),
                               rtol=1e-3, atol=1e-3)


def test_network_reads_one_cut_dense_model_averages_three():
    assert GlyphModel.load(model_path()).shifts == (0.0,)
    from station.scan.mrz_glyphs import glance_path

    assert len(GlyphModel.load(glance_path()).shifts) == 3

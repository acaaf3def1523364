"""Train the MRZ glyph classifier as a small convolutional network (PyTorch, CPU).

    PYTHONPATH=. .venv/bin/python scripts/train_mrz_glyphs.py --lines 1200 --cells cells.npz
    python3 -m venv torchvenv && torchvenv/bin/pip install torch==2.13.0 numpy
    torchvenv/bin/python scripts/train_mrz_cnn.py cells.npz --out assets/models/mrz_glyphs.npz

About 6 minutes on two cores (8 epochs over 422,400 cells; the shipped model
reached 96.2 % on the 7,040 validation cells, most errors on 5.5-7 px cells).
A variant on 1,600 lines with log-uniform sizes, wider glyphs and more
jitter read fewer real passports (29/33 against 30/33, bench/bench_mrz.py).

The cells are the ones scripts/train_mrz_glyphs.py draws (OCR-B cuts made in
the repo, printed and photographed badly, cut with the reader's own
`cell_patch`); this script only fits the network. PyTorch is needed for
training alone: the station runs the network with NumPy and OpenCV
(station.scan.mrz_glyphs), so neither the app nor its tests import torch.

Why a network with convolutions: the multilayer perceptron sees each pixel on
its own, so a glyph a pixel off, or a stroke a pixel thinner than it learned,
is a new picture to it. On real passports it read the E of a clean but small
line as F at 0.72 (below what an unchecked name letter needs); two layers of
3x3 filters with pooling see strokes wherever they fall in the cell.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"  # station.core.mrz.ALPHABET: the labels index it
SEED = 9303


def network(c1: int, c2: int, hidden: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(1, c1, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c1, c2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.2),
        nn.Linear(c2 * 6 * 4, hidden), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(hidden, len(ALPHABET)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cells", type=Path)
    parser.add_argument("--out", type=Path, default=Path("assets/models/mrz_glyphs.npz"))
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--c1", type=int, default=16)
    parser.add_argument("--c2", type=int, default=32)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    data = np.load(args.cells)
    x = torch.from_numpy(data["x"].astype(np.float32)).unsqueeze(1)
    y = torch.from_numpy(data["y"].astype(np.int64))
    xv = torch.from_numpy(data["xv"].astype(np.float32)).unsqueeze(1)
    yv = torch.from_numpy(data["yv"].astype(np.int64))
    net = network(args.c1, args.c2, args.hidden)
    opt = torch.optim.Adam(net.parameters(), lr=2e-3, weight_decay=1e-5)
    steps = args.epochs * ((len(x) + 255) // 256)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    loss_fn = nn.CrossEntropyLoss()
    started = time.perf_counter()
    gen = torch.Generator().manual_seed(SEED)
    for epoch in range(args.epochs):
        net.train()
        order = torch.randperm(len(x), generator=gen)
        total = 0.0
        for s in range(0, len(x), 256):
            idx = order[s:s + 256]
            opt.zero_grad()
            loss = loss_fn(net(x[idx]), y[idx])
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        net.eval()
        with torch.no_grad():
            acc = float((net(xv).argmax(1) == yv).float().mean())
        print(f"epoch {epoch + 1}/{args.epochs} loss {total / len(x):.4f} "
              f"validation accuracy {acc:.4f} ({time.perf_counter() - started:.0f} s)", flush=True)
    conv1, conv2, fc1, fc2 = (m for m in net if isinstance(m, nn.Conv2d | nn.Linear))

    def im2col(conv: nn.Conv2d) -> np.ndarray:
        # (out, in, 3, 3) -> rows in the order the reader lays out its patches: ky, kx, channel
        w = conv.weight.detach().numpy()
        return w.transpose(2, 3, 1, 0).reshape(-1, w.shape[0])

    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out, alphabet=np.array(ALPHABET), cell=np.array([24, 16]), arch=np.array("cnn"),
        k1=im2col(conv1).astype(np.float16), c1=conv1.bias.detach().numpy(),
        k2=im2col(conv2).astype(np.float16), c2=conv2.bias.detach().numpy(),
        w1=fc1.weight.detach().numpy().T.astype(np.float16), b1=fc1.bias.detach().numpy(),
        w2=fc2.weight.detach().numpy().T.astype(np.float16), b2=fc2.bias.detach().numpy(),
    )
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB) "
          f"in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

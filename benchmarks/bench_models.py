"""Imported models: import time and decisions on PyTorch networks (symequi.from_torch).

(a) a 3-layer 1-D CNN with 8 channels, circular padding, at N (64 in full runs): import, decide an
    integer shift (Proved) and a half-cell linear shift (Counterexample);
(b) a 2-D conv net (1 -> 4 -> 1 channels, 3x3, circular) on 16x16 (8x8 quick): the same;
(c) a ResNet-style block (conv, ReLU, conv, + input; 16 channels 2-D 16x16): import time;
(d) worst-case defect of conv + ReLU under a half-cell shift on [0, 1]^N (N = 8, 16, 32);
(e) the README's snippet net (Conv1d 1 -> 4, stride 2, circular; ReLU; Conv1d 4 -> 1) at N = 16, 64,
    256: an input shift of 2 with an output shift of 1 (Proved), a shift of 1 (Refuted) and a
    half-cell linear shift.

Baseline: one float64 forward pass of the same network in PyTorch (what a float test would cost).
"""

from __future__ import annotations

import time

import torch

import symequi as se
from benchmarks._timing import best_of, row

HALF_1D = se.shift((0, "1/2"), method="linear")


def cnn_1d() -> torch.nn.Module:
    torch.manual_seed(0)
    conv = lambda i, o: torch.nn.Conv1d(i, o, 3, padding=1, padding_mode="circular")  # noqa: E731
    return torch.nn.Sequential(conv(1, 8), torch.nn.ReLU(), conv(8, 8), torch.nn.ReLU(), conv(8, 1)).double()


def cnn_2d() -> torch.nn.Module:
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1, padding_mode="circular"), torch.nn.ReLU(),
                               torch.nn.Conv2d(4, 1, 3, padding=1, padding_mode="circular")).double()


def snippet_net() -> torch.nn.Module:
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Conv1d(1, 4, 3, stride=2, padding=1, padding_mode="circular"),
                               torch.nn.ReLU(),
                               torch.nn.Conv1d(4, 1, 3, padding=1, padding_mode="circular")).double()


def _snippet_rows(n: int) -> list[dict]:
    net = snippet_net()
    base = best_of(lambda: net(torch.zeros(1, 1, n, dtype=torch.float64)))
    op, t = _timed(lambda: se.from_torch(net, input_shape=(1, n)))
    name = f"snippet net (stride 2), N={n}"
    rows = [row(f"{name}: import", t, "torch float64 forward", base, "< 1 s")]
    squares = [("shift 2, output shift 1", se.Square(op, se.shift((0, 2)), g_out=se.shift((0, 1)), input_shape=(1, n))),
               ("shift 1", se.Square(op, se.shift((0, 1)), input_shape=(1, n))),
               ("half-cell linear shift", se.Square(op, HALF_1D, input_shape=(1, n)))]
    for label, square in squares:
        v, t = _timed(lambda: se.decide(square, budget=600))
        if v.kind == "undecided":  # deep ReLU stacks can defeat z3: the exact search finds the witness
            v, t2 = _timed(lambda: se.decide_search(square, max_examples=100))
            t += t2
        rows.append(row(f"{name}: {label} ({v.decider}, {v.kind})", t, "torch float64 forward", base, "< 30 s"))
    return rows


class ResBlock(torch.nn.Module):
    def __init__(self, c: int = 16) -> None:
        super().__init__()
        self.a = torch.nn.Conv2d(c, c, 3, padding=1, padding_mode="circular")
        self.b = torch.nn.Conv2d(c, c, 3, padding=1, padding_mode="circular")

    def forward(self, x):  # type: ignore[no-untyped-def]
        return x + self.b(torch.relu(self.a(x)))


def _timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def _decisions(name: str, net: torch.nn.Module, shape: tuple[int, ...], whole: se.Operator, half: se.Operator,
               baseline: float) -> list[dict]:
    op, t_import = _timed(lambda: se.from_torch(net, input_shape=shape))
    rows = [row(f"{name}: import", t_import, "torch float64 forward", baseline, "< 1 s")]
    v, t = _timed(lambda: se.decide(se.Square(op, whole, input_shape=shape), budget=600))
    assert v.kind == "proved", v
    rows.append(row(f"{name}: integer shift ({v.decider}, proved)", t, "torch float64 forward", baseline, "< 10 s"))
    square = se.Square(op, half, input_shape=shape)
    v, t = _timed(lambda: se.decide(square, budget=60))
    if v.kind == "undecided":  # deep ReLU stacks can defeat z3: the exact search finds the witness
        v, t = _timed(lambda: se.decide_search(square, max_examples=100))
    assert v.kind == "counterexample", v
    rows.append(row(f"{name}: half-cell shift ({v.decider}, refuted)", t, "torch float64 forward", baseline, "< 30 s"))
    return rows


def cases(quick: bool) -> list[dict]:
    """Rows for ``python -m benchmarks``."""
    n, side = (16, 8) if quick else (64, 16)
    rows = []
    net = cnn_1d()
    base = best_of(lambda: net(torch.zeros(1, 1, n, dtype=torch.float64)))
    rows += _decisions(f"3-layer 1-D CNN, 8 channels, N={n}", net, (1, n), se.shift((0, 1)), HALF_1D, base)
    net2 = cnn_2d()
    base = best_of(lambda: net2(torch.zeros(1, 1, side, side, dtype=torch.float64)))
    rows += _decisions(f"2-D conv net 1-4-1, {side}x{side}", net2, (1, side, side), se.shift((0, 1, 2)),
                       se.shift((0, "1/2", 0), method="linear"), base)
    block = ResBlock().double()
    base = best_of(lambda: block(torch.zeros(1, 16, side, side, dtype=torch.float64)))
    op, t = _timed(lambda: se.from_torch(block, input_shape=(16, side, side)))
    rows.append(row(f"ResNet block 16 channels {side}x{side}: import", t, "torch float64 forward", base, "< 1 s"))
    for m in (8,) if quick else (8, 16, 32):
        layer = torch.nn.Sequential(torch.nn.Conv1d(1, 1, 3, padding=1, padding_mode="circular"), torch.nn.ReLU())
        torch.manual_seed(1)
        op = se.from_torch(layer, input_shape=(1, m))
        w, t = _timed(lambda: se.worst_case_defect(op, HALF_1D, box=(0, 1), input_shape=(1, m), budget=600))
        rows.append(row(f"worst-case defect conv+ReLU N={m} ({w.kind}, {float(w.value or 0):.4g})", t,
                        "torch float64 forward", best_of(lambda: layer(torch.zeros(1, 1, m))), "< 60 s"))
    for m in (16,) if quick else (16, 64, 256):
        rows += _snippet_rows(m)
    return rows


if __name__ == "__main__":
    for r in cases(quick=False):
        print(f"{r['case']:<70} {r['symequi_s']:8.3f} s   (torch forward {r['baseline_s'] * 1e3:.3f} ms)", flush=True)

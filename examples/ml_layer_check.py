"""An ML layer check: does a small CNN block commute with translations of its input?

Run: ``python examples/ml_layer_check.py`` (exit status 0 when every answer is
the expected one).  A periodic convolution followed by a bias and a ReLU
commutes with every whole-pixel shift (proved for every real input), but not
with a half-pixel shift: symequi prints the exact witness.
"""

from __future__ import annotations

import sys

import symequi as se


def main() -> int:
    block = se.Sequential(se.Convolution([1, 2, 1], padding="periodic"), se.Bias(-1), se.ReLU())

    whole = se.decide(se.Square(block, se.shift(1), input_shape=6))
    print(whole.text(), end="\n\n")

    half = se.decide(se.Square(block, se.shift("1/2", method="linear"), input_shape=6))
    print(half.text())
    return 0 if whole.proved and half.refuted else 1


if __name__ == "__main__":
    sys.exit(main())

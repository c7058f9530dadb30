"""Search decider throughput: the cost of Hypothesis around exact evaluations.

Case 1: ``decide_search`` on a commuting square (periodic 3-tap convolution +
ReLU, integer shift by 1, N = 64), so every example passes and nothing is
shrunk, against the same number of direct evaluations of both paths (and
their exact comparison) on precomputed random rational signals.  The ratio
is the overhead of Hypothesis (generation, bookkeeping) per example.  The
default signal strategy draws a whole vector as one byte string (one
Hypothesis choice per signal instead of two per entry); the target is at
least 25% of the direct evaluations' examples/s (ratio <= 4).

Case 2: drawing the same signals with :func:`symequi.strategies.signals`
against ``lists(hypothesis.strategies.fractions(...))``, both through a
Hypothesis search that never fails: symequi's rational strategy builds its
numerator strategies once instead of per draw.
"""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from benchmarks._timing import best_of, row
from symequi.layers import Convolution, ReLU, Sequential
from symequi.deciders.search import decide_search
from symequi.core.signal import Signal
from symequi.core.square import Square
from symequi.strategies import signals
from symequi.translations import shift

N = 64


def _square() -> Square:
    net = Sequential(Convolution([1, -2, 1], origin=0, padding="periodic"), ReLU())
    return Square(net, shift(1), input_shape=N)


def _random_signals(count: int) -> list[Signal]:
    rng = random.Random(0)
    out = []
    for _ in range(count):
        values = []
        for _ in range(N):
            d = rng.randint(1, 16)
            values.append(Fraction(rng.randint(-4 * d, 4 * d), d))
        out.append(Signal(values))
    return out


def _search_throughput(examples: int) -> dict:
    square = _square()
    verdict = decide_search(square, max_examples=examples, seed=0)
    assert verdict.reason == f"no counterexample in {examples} examples (seed 0)", verdict.reason
    inputs = _random_signals(examples)

    def direct() -> None:
        for u in inputs:
            assert square.lhs(u) == square.rhs(u)

    search_s = best_of(lambda: decide_search(square, max_examples=examples, seed=0), repeat=5)
    direct_s = best_of(direct, repeat=5)
    return row(
        f"search conv3+ReLU N={N}, {examples} examples ({examples / search_s:.0f} ex/s)",
        search_s,
        f"{examples} direct evaluations ({examples / direct_s:.0f} ex/s)",
        direct_s,
        "ratio <= 4 (>= 25% of direct evaluation examples/s)", 4.0,
    )


def _never(_: object) -> bool:
    return False


def _draw_time(strategy: st.SearchStrategy, examples: int) -> float:
    config = settings(max_examples=examples, database=None, deadline=None, derandomize=False,
                      phases=(Phase.generate,), suppress_health_check=list(HealthCheck))

    def run() -> None:
        try:
            find(strategy, _never, settings=config, random=random.Random(0))
        except NoSuchExample:
            pass

    return best_of(run)


def _strategy_speed(examples: int) -> dict:
    ours = signals(N)
    theirs = st.lists(st.fractions(-4, 4, max_denominator=16), min_size=N, max_size=N).map(Signal)
    return row(
        f"draw {examples} signals of N={N} rationals (symequi.strategies.signals)",
        _draw_time(ours, examples),
        "lists(hypothesis fractions(-4, 4, max_denominator=16))",
        _draw_time(theirs, examples),
        "<= 0.5 (faster than hypothesis.strategies.fractions)", 0.5,
    )


def cases(quick: bool) -> list[dict]:
    examples = 50 if quick else 300
    return [_search_throughput(examples), _strategy_speed(examples)]
